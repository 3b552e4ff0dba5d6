/** Schemas of 随手拍, satisfaction, safety notices and the public map (issue 15, later parts). */
import { Type } from '@sinclair/typebox';
import { Instant, Strict, TypedStringEnum } from '../../core/typebox.js';
import { Point } from './contract.js';
import { VERDICTS, VIOLATION_TYPES } from './domain/violation.js';
import { REPORT_STATUSES } from './domain/status.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const ViolationBody = Strict({
  plate: Type.String({ minLength: 2, maxLength: 16, description: 'the plate as seen, e.g. 粤A12345 or MA-12-34' }),
  violationType: TypedStringEnum(VIOLATION_TYPES),
  observedAt: Instant,
  location: Type.Optional(Point),
  addressCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  mediaIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 7, description: 'at least 2 photos showing the plate and the violation (uploaded through /citizen/photos), unless there is a video; a video id here counts as videoId' })),
  videoId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a video of at least 10 s (uploaded through /citizen/videos) instead of the photos' })),
});

const ViolationFields = {
  reportId: Type.String(),
  plate: Type.String(),
  violationType: TypedStringEnum(VIOLATION_TYPES),
  violationName: Type.Object({ zh: Type.String(), en: Type.String() }),
  observedAt: Instant,
  verdict: TypedStringEnum(VERDICTS),
  verdictReason: Nullable(Type.String()),
  rewarded: Type.Boolean(),
  reviewedAt: Type.Union([Instant, Type.Null()]),
  videos: Type.Array(Type.Object({ id: Type.String(), contentType: Type.String(), bytes: Type.Integer(), durationMs: Type.Integer() }), { description: 'the video evidence (staff play it at /citizen-reports/{id}/videos/{videoId}, the reporter at /citizen/videos/{videoId})' }),
};
export const Violation = Type.Object({ ...ViolationFields, status: TypedStringEnum(REPORT_STATUSES), statusNote: Nullable(Type.String()), createdAt: Instant });
export const ViolationList = Type.Object({ items: Type.Array(Violation) });
export const StaffViolation = Type.Object({ ...ViolationFields, rewardOf: Nullable(Type.String({ description: 'for a duplicate: the rewarded report of the same violation' })), reviewedBy: Nullable(Type.String()) });
export const ViolationReviewBody = Strict({
  verdict: TypedStringEnum(['valid', 'not_valid'] as const),
  reason: Type.Optional(Type.String({ maxLength: 1000, description: 'needed for not_valid: the reporter reads it' })),
});
export const ViolationTypes = Type.Object({ items: Type.Array(Type.Object({ code: TypedStringEnum(VIOLATION_TYPES), zh: Type.String(), en: Type.String() })), minPhotos: Type.Integer(), minVideoSeconds: Type.Integer(), windowMinutes: Type.Integer(), windowMetres: Type.Integer() });

export const RatingBody = Strict({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 500 })) });
export const Rating = Type.Object({ reportId: Type.String(), score: Type.Integer(), comment: Nullable(Type.String()), at: Instant });
export const RatingList = Type.Object({ items: Type.Array(Rating) });

export const Survey = Type.Object({ id: Type.String(), incidentNumber: Type.String(), closedAt: Type.Union([Instant, Type.Null()]) });
export const SurveyList = Type.Object({ items: Type.Array(Survey) });
export const SurveyParams = Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const SurveyBody = Strict({
  outcome: TypedStringEnum(['satisfied', 'basically_satisfied', 'dissatisfied'] as const),
  reason: Type.Optional(Type.String({ maxLength: 1000, description: 'needed when dissatisfied' })),
});
export const SurveyAnswer = Type.Object({ id: Type.String(), outcome: Type.String(), channel: Type.Literal('online'), doneAt: Instant });

export const NoticeBody = Strict({
  title: Type.String({ minLength: 1, maxLength: 60 }),
  body: Type.String({ minLength: 1, maxLength: 1000 }),
  stationId: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], { description: 'null: the whole city' }),
  validFrom: Instant,
  validTo: Instant,
});
export const Notice = Type.Object({ id: Type.String(), title: Type.String(), body: Type.String(), stationId: Nullable(Type.String()), stationName: Nullable(Type.String()), validFrom: Instant, validTo: Instant, withdrawn: Type.Boolean() });
export const NoticeList = Type.Object({ items: Type.Array(Notice) });
export const NoticeParams = Strict({ id: Type.String({ format: 'uuid' }) });
export const PublicNoticeQuery = Strict({
  stationId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
});

export const PublicMapQuery = Strict({ bbox: Type.String({ minLength: 7, maxLength: 100, description: 'minLon,minLat,maxLon,maxLat' }) });
export const PublicMap = Type.Object({
  items: Type.Array(
    Type.Object({
      category: Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() }),
      area: Type.String({ description: 'the station whose area it is in' }),
      lon: Type.Number({ description: 'rounded to 0.001° (about 100 m)' }),
      lat: Type.Number({ description: 'rounded to 0.001° (about 100 m)' }),
      status: TypedStringEnum(REPORT_STATUSES),
      ageHours: Type.Integer(),
    }),
    { maxItems: 500 },
  ),
  truncated: Type.Boolean({ description: 'more than 500 in the box: zoom in' }),
});
