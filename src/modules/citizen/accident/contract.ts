/** Request and answer schemas of the 快处快赔 routes (drivers under /citizen/accidents, officers under /citizen-accidents). */
import { Type } from '@sinclair/typebox';
import { Instant, Strict, TypedStringEnum } from '../../../core/typebox.js';
import { ACCIDENT_STATUSES, LIABILITIES } from '../domain/accident.js';
import { Point } from '../contract.js';

const Plate = Type.String({ minLength: 2, maxLength: 16, description: 'the vehicle’s plate (粤A12345, MX-12-34 …)' });
const Insurer = Type.String({ minLength: 1, maxLength: 60, description: 'the insurer of the vehicle' });
const Statement = Type.String({ minLength: 1, maxLength: 2000, description: 'what happened, in the driver’s words' });
const MediaIds = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 6, description: 'photos uploaded through POST /citizen/photos (scene, both vehicles, plates)' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const Both = Type.Object({ zh: Type.String(), en: Type.String() });

export const AccidentIdParams = Strict({ id: Type.String({ pattern: '^\\d{1,15}$', description: 'accident number' }) });
export const AccidentPhotoParams = Strict({ id: Type.String({ pattern: '^\\d{1,15}$' }), photoId: Type.String({ format: 'uuid' }) });

export const StartBody = Strict({
  kind: Type.Optional(TypedStringEnum(['minor_accident'] as const)),
  occurredAt: Type.Optional(Type.String({ ...Instant, description: 'when it happened (default: now); within the last 24 hours' })),
  location: Type.Optional(Point),
  addressCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  placeText: Type.Optional(Type.String({ maxLength: 300, description: 'the place in words (road, direction, landmark)' })),
  plate: Plate,
  insurer: Insurer,
  statement: Statement,
  mediaIds: Type.Optional(MediaIds),
  injury: Type.Optional(Type.Boolean({ description: 'someone is hurt: the accident is recorded and ends at once (call 110)' })),
});
export const JoinBody = Strict({ code: Type.String({ minLength: 6, maxLength: 12, description: 'the 6-digit code on driver A’s phone' }), plate: Plate, insurer: Insurer, statement: Statement, mediaIds: Type.Optional(MediaIds) });
export const PhotosBody = Strict({ mediaIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 6 }) });
export const EscalateBody = Strict({ reason: TypedStringEnum(['injury', 'refusal'] as const, { description: 'injury: someone is hurt; refusal: a party will not cooperate' }) });

const PartyView = Type.Object({
  role: TypedStringEnum(['a', 'b'] as const),
  plate: Str,
  insurer: Str,
  statement: Str,
  confirmed: Type.Boolean(),
  photos: Type.Array(Str),
});
const History = Type.Array(Type.Object({ status: Str, note: Nullable(Str), at: Instant }));

const common = {
  id: Str,
  kind: Type.Literal('minor_accident'),
  status: TypedStringEnum(ACCIDENT_STATUSES),
  statusNote: Nullable(Str),
  occurredAt: Instant,
  location: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
  placeText: Str,
  liability: Type.Union([TypedStringEnum(LIABILITIES), Type.Null()]),
  liabilityText: Type.Union([Both, Type.Null()]),
  liabilityReason: Nullable(Str),
  videoLink: Nullable(Str),
  officerName: Nullable(Str),
  agreement: Nullable(Type.String({ description: 'the agreement’s text (zh-CN), once liability is determined' })),
  insurerRef: Nullable(Str),
  call110: Type.Union([Both, Type.Null()], { description: 'when escalated: call 110 and do not continue online' }),
  createdAt: Instant,
  updatedAt: Instant,
};

export const CitizenAccident = Type.Object({
  ...common,
  myRole: TypedStringEnum(['a', 'b'] as const),
  parties: Type.Array(Type.Object({ ...PartyView.properties, mine: Type.Boolean() })),
  codeExpiresAt: Type.Union([Instant, Type.Null()], { description: 'driver A, while the other has not joined' }),
  history: History,
});
export const StartAnswer = Type.Object({ ...CitizenAccident.properties, code: Type.Union([Type.String({ description: 'the 6-digit shared code for driver B: shown once, kept only hashed' }), Type.Null()]) });
export const CitizenAccidentList = Type.Object({ items: Type.Array(CitizenAccident) });

export const StaffAccident = Type.Object({
  ...common,
  unitId: Str,
  unitName: Str,
  injury: Type.Boolean(),
  escalation: Nullable(Str),
  determinedBy: Nullable(Str),
  determinedAt: Type.Union([Instant, Type.Null()]),
  parties: Type.Array(Type.Object({ ...PartyView.properties, phone: Nullable(Type.String({ description: 'masked' })) })),
  history: Type.Optional(Type.Array(Type.Object({ status: Str, note: Nullable(Str), by: Str, at: Instant }))),
});
export const StaffAccidentList = Type.Object({ items: Type.Array(StaffAccident), total: Type.Integer() });
export const StaffQueueQuery = Strict({ status: Type.Optional(Type.Array(TypedStringEnum(ACCIDENT_STATUSES), { maxItems: 9 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })) });
export const DetermineBody = Strict({
  liability: TypedStringEnum(LIABILITIES, { description: 'a_full: A fully liable; b_full; equal; a_main: A main, B minor; b_main: A minor, B main' }),
  reason: Type.String({ minLength: 1, maxLength: 1000, description: 'why (both drivers read it)' }),
  videoLink: Type.Optional(Type.String({ maxLength: 500, pattern: '^https?://', description: 'the video call used, if any' })),
});
export const RejectBody = Strict({ reason: Type.String({ minLength: 1, maxLength: 1000 }) });
export const CloseBody = Strict({ insurerRef: Type.String({ minLength: 1, maxLength: 64, description: 'the insurer’s claim reference' }) });
export const DocxBytes = Type.Unsafe<string>({ type: 'string', format: 'binary', description: 'the agreement (.docx)' });
