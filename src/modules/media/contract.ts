/** The media API's request and answer schemas (TypeBox). */
import { Type } from '@sinclair/typebox';
import { Id, Instant, Nullable, Paging, Strict, TypedStringEnum } from '../../core/typebox.js';
import { NO_RECORDING_REASONS, REQUIRED_CASE_STEPS } from './domain/linkage.js';
import { INSPECTION_RESULTS, PROBLEM_TYPES } from './domain/inspections.js';

const ContentType = Type.String({ pattern: '^(video|audio)/[A-Za-z0-9.+-]{1,60}$', description: 'video/* or audio/*' });
const UserId = Type.String({ minLength: 1, maxLength: 64 });

const RecordingFields = {
  contentType: ContentType,
  officerId: Type.String({ minLength: 1, maxLength: 64, description: 'the user id of the officer who wore the camera' }),
  recordedFrom: Instant,
  recordedTo: Instant,
  sha256: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'expected SHA-256 (64 hex digits): a file that does not match is refused and deleted' })),
  fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  incidentId: Type.Optional(Id),
  caseId: Type.Optional(Id),
};

export const CreateBody = Strict({ size: Type.Integer({ minimum: 1, description: 'bytes (tus Upload-Length)' }), ...RecordingFields });

export const ImportBody = Strict({
  path: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'a file under the import folder (SHOUWANG_MEDIA_IMPORT), relative' })),
  s3Key: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'an object already in the S3 bucket' })),
  ...RecordingFields,
});

export const LinkView = Type.Object({
  kind: TypedStringEnum(['incident', 'case'] as const),
  id: Type.String(),
  how: TypedStringEnum(['auto', 'manual'] as const),
  assignmentId: Nullable(Type.String()),
  eventId: Nullable(Type.String()),
});

export const MediaItem = Type.Object({
  id: Type.String(),
  status: TypedStringEnum(['uploading', 'stored', 'refused', 'purged'] as const),
  size: Type.Integer(),
  received: Type.Integer(),
  contentType: Type.String(),
  fileName: Nullable(Type.String()),
  sha256: Nullable(Type.String()),
  officerId: Type.String(),
  officerName: Type.String(),
  stationId: Type.String(),
  recordedFrom: Instant,
  recordedTo: Instant,
  source: Type.String(),
  createdBy: Type.String(),
  storedAt: Nullable(Instant),
  hold: Type.Boolean(),
  holdReason: Nullable(Type.String()),
  links: Type.Array(LinkView),
  /** Where the upload goes on (tus), while uploading. */
  uploadUrl: Nullable(Type.String()),
});

export const MediaList = Type.Object({ items: Type.Array(MediaItem), total: Type.Integer() });

export const ListQuery = Strict({
  caseId: Type.Optional(Id),
  incidentId: Type.Optional(Id),
  officerId: Type.Optional(UserId),
  ...Paging,
});

export const ContentQuery = Strict({ download: Type.Optional(Type.Boolean({ description: 'true: an attachment (a copy), audited as media.copy' })) });

export const HoldBody = Strict({ reason: Type.String({ minLength: 2, maxLength: 500 }) });

export const CaseLinkBody = Strict({ mediaId: Id, eventId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the case step the recording records' })) });

export const ExemptionBody = Strict({
  stepKind: TypedStringEnum(['case_event', 'assignment'] as const),
  stepId: Type.String({ minLength: 1, maxLength: 200 }),
  caseId: Type.Optional(Id),
  reason: TypedStringEnum(NO_RECORDING_REASONS),
  comment: Type.String({ minLength: 2, maxLength: 1000 }),
});

export const Exemption = Type.Object({ reason: Type.String(), comment: Type.String(), recordedBy: Type.String(), recordedAt: Instant });

export const ExemptionAnswer = Type.Object({ stepKind: Type.String(), stepId: Type.String(), ...Exemption.properties });

export const CaseMedia = Type.Object({
  recordings: Type.Array(MediaItem),
  /** The case's steps that require a recording (on-scene enforcement), each covered or not. */
  steps: Type.Array(
    Type.Object({
      id: Type.String(),
      type: TypedStringEnum(REQUIRED_CASE_STEPS),
      at: Instant,
      subject: Nullable(Type.String()),
      mediaIds: Type.Array(Type.String()),
      exemption: Nullable(Exemption),
    }),
  ),
  requiredSteps: Type.Array(TypedStringEnum(REQUIRED_CASE_STEPS)),
  reasons: Type.Array(Type.Object({ code: TypedStringEnum(NO_RECORDING_REASONS), label: Type.String() })),
});

export const LinkageQuery = Strict({ from: Instant, to: Instant });

export const Linkage = Type.Object({ required: Type.Integer(), linked: Type.Integer(), justified: Type.Integer(), missing: Type.Integer(), rate: Nullable(Type.Number()) });

export const PurgeAnswer = Type.Object({ purged: Type.Integer(), kept: Type.Integer() });

export const InspectionBody = Strict({
  result: TypedStringEnum(INSPECTION_RESULTS),
  problemType: Type.Optional(TypedStringEnum(PROBLEM_TYPES, { description: 'required when result is problem (the supervision notices’ problem types)' })),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
  caseId: Type.Optional(Id),
});

export const Inspection = Type.Object({
  id: Type.String(),
  mediaId: Type.String(),
  caseId: Nullable(Type.String()),
  stationId: Type.String(),
  inspector: Type.String(),
  at: Instant,
  result: TypedStringEnum(INSPECTION_RESULTS),
  problemType: Nullable(TypedStringEnum(PROBLEM_TYPES)),
  note: Nullable(Type.String()),
});

export const InspectionQuery = Strict({
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  result: Type.Optional(TypedStringEnum(INSPECTION_RESULTS)),
  caseId: Type.Optional(Id),
  mediaId: Type.Optional(Id),
  ...Paging,
});

export const InspectionList = Type.Object({ items: Type.Array(Inspection), total: Type.Integer() });
