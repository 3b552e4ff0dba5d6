/** Request and answer schemas of the citizen portal's and the review queue's routes. */
import { Type } from '@sinclair/typebox';
import { Instant, Strict, TypedStringEnum } from '../../core/typebox.js';
import { REPORT_STATUSES } from './domain/status.js';
import { ROUTES, SERVICE_GROUPS } from './domain/routing.js';

const Phone = Type.String({ minLength: 6, maxLength: 20, description: 'mobile number: 11 digits (mainland) or 8 digits (Macau/Hong Kong), +86/+853/+852 allowed' });
export const OtpBody = Strict({ phone: Phone });
export const OtpAnswer = Type.Object({
  expiresInSeconds: Type.Integer(),
  demoCode: Type.Optional(Type.String({ description: 'demo mode only (演示): the code, shown on the page; never sent in production' })),
});
export const SessionBody = Strict({ phone: Phone, code: Type.String({ minLength: 1, maxLength: 12 }) });
export const Me = Type.Object({ phone: Type.String({ description: 'masked' }), unread: Type.Integer() });

export const Point = Strict({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) });
const AddressCode = Type.String({ minLength: 1, maxLength: 64 });
const Description = Type.String({ minLength: 1, maxLength: 2000 });
const ServiceCode = Type.String({ minLength: 1, maxLength: 32 });

export const Service = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  group: Type.String(),
  radiusM: Type.Integer(),
  keywords: Type.String(),
});
export const ServiceList = Type.Object({ items: Type.Array(Service) });

export const CheckBody = Strict({ serviceCode: ServiceCode, description: Type.Optional(Type.String({ maxLength: 2000 })), location: Type.Optional(Point), addressCode: Type.Optional(AddressCode) });
const Dup = Type.Object({ id: Type.String(), serviceCode: Type.String(), description: Type.String(), status: Type.String(), voices: Type.Integer(), distanceM: Type.Integer(), createdAt: Instant });
export const CheckAnswer = Type.Object({
  emergency: Type.Object({ emergency: Type.Boolean(), matched: Type.Array(Type.String()), zh: Type.String(), en: Type.String() }),
  duplicates: Type.Array(Dup),
  radiusM: Type.Integer(),
});

export const ReportBody = Strict({
  kind: Type.Optional(TypedStringEnum(['issue'] as const, { description: 'issue (traffic_violation and minor_accident: later parts of issue 15)' })),
  serviceCode: ServiceCode,
  location: Type.Optional(Point),
  addressCode: Type.Optional(AddressCode),
  description: Description,
  insist: Type.Optional(Type.Boolean({ description: 'the citizen read the 110 warning and still sends it (flagged urgent)' })),
  ignoreDuplicates: Type.Optional(Type.Boolean({ description: 'the citizen saw the suggested duplicates and still wants a new report' })),
  mediaIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 6 })),
});

const HistoryItem = Type.Object({ status: Type.String(), note: Type.Union([Type.String(), Type.Null()]), at: Instant });
export const CitizenReport = Type.Object({
  id: Type.String(),
  serviceCode: Type.String(),
  serviceName: Type.Object({ zh: Type.String(), en: Type.String() }),
  description: Type.String(),
  location: Type.Union([Type.Object({ lon: Type.Number(), lat: Type.Number() }), Type.Null()]),
  addressCode: Type.Union([Type.String(), Type.Null()]),
  addressText: Type.Union([Type.String(), Type.Null()]),
  status: TypedStringEnum(REPORT_STATUSES),
  statusNote: Type.Union([Type.String(), Type.Null()]),
  urgent: Type.Boolean(),
  voices: Type.Integer(),
  duplicateOf: Type.Union([Type.String(), Type.Null()]),
  mine: Type.Boolean({ description: 'made by me (else: I added my voice)' }),
  photos: Type.Array(Type.String()),
  createdAt: Instant,
  updatedAt: Instant,
  history: Type.Array(HistoryItem),
});
export const CitizenReportList = Type.Object({ items: Type.Array(CitizenReport) });
export const VoiceAnswer = Type.Object({ id: Type.String(), voices: Type.Integer(), added: Type.Boolean() });

export const NotificationsQuery = Strict({ unread: Type.Optional(Type.Boolean()) });
export const NotificationList = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), reportId: Type.String(), status: Type.String(), note: Type.Union([Type.String(), Type.Null()]), at: Instant, read: Type.Boolean() })),
  unread: Type.Integer(),
});
export const ReadBody = Strict({ ids: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{1,15}$' }), { maxItems: 200 })) });
export const ReadAnswer = Type.Object({ marked: Type.Integer() });

export const ReportIdParams = Strict({ id: Type.String({ pattern: '^\\d{1,15}$', description: 'report number' }) });

// Staff
export const QueueQuery = Strict({
  status: Type.Optional(Type.Array(TypedStringEnum(REPORT_STATUSES), { maxItems: 6 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
});
export const StaffReport = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  serviceCode: Type.String(),
  serviceName: Type.Object({ zh: Type.String(), en: Type.String() }),
  description: Type.String(),
  location: Type.Union([Type.Object({ lon: Type.Number(), lat: Type.Number() }), Type.Null()]),
  addressText: Type.Union([Type.String(), Type.Null()]),
  unitId: Type.String(),
  unitName: Type.String(),
  route: Type.String(),
  status: TypedStringEnum(REPORT_STATUSES),
  statusNote: Type.Union([Type.String(), Type.Null()]),
  urgent: Type.Boolean(),
  voices: Type.Integer(),
  duplicateOf: Type.Union([Type.String(), Type.Null()]),
  incidentId: Type.Union([Type.String(), Type.Null()]),
  reporterPhone: Type.Union([Type.String(), Type.Null()], { description: 'masked' }),
  createdAt: Instant,
  acceptedAt: Type.Union([Instant, Type.Null()]),
  closedAt: Type.Union([Instant, Type.Null()]),
  photos: Type.Array(Type.String()),
  history: Type.Optional(Type.Array(Type.Object({ status: Type.String(), note: Type.Union([Type.String(), Type.Null()]), at: Instant }))),
  nearby: Type.Optional(Type.Array(Dup, { description: 'open reports of the same category near it: candidates for a merge' })),
});
export const StaffReportList = Type.Object({ items: Type.Array(StaffReport), total: Type.Integer() });
export const TransitionBody = Strict({
  to: TypedStringEnum(['accepted', 'in_progress', 'resolved', 'rejected', 'duplicate'] as const),
  reason: Type.Optional(Type.String({ maxLength: 1000, description: 'the reason (rejected, duplicate) or the outcome (resolved); the citizen reads it' })),
  duplicateOf: Type.Optional(Type.String({ pattern: '^\\d{1,15}$' })),
});

const ServiceRowSchema = Strict({
  code: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' }),
  nameZh: Type.String({ minLength: 1, maxLength: 60 }),
  nameEn: Type.String({ minLength: 1, maxLength: 100 }),
  group: TypedStringEnum(SERVICE_GROUPS),
  route: TypedStringEnum(ROUTES),
  unitId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  incidentCategory: Type.Optional(Type.Union([Type.String({ maxLength: 16 }), Type.Null()])),
  radiusM: Type.Integer({ minimum: 10, maximum: 2000 }),
  keywords: Type.Optional(Type.String({ maxLength: 500 })),
  active: Type.Optional(Type.Boolean()),
});
export const RoutingTable = Type.Object({ services: Type.Array(ServiceRowSchema, { maxItems: 200 }) });
export const RoutingTableBody = Strict({ services: Type.Array(ServiceRowSchema, { minItems: 1, maxItems: 200 }) });

export const KeyBody = Strict({ name: Type.String({ minLength: 1, maxLength: 100 }) });
export const KeyCreated = Type.Object({ id: Type.String(), name: Type.String(), key: Type.String({ description: 'shown once; only its SHA-256 is kept' }) });
export const KeyList = Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), createdAt: Instant, createdBy: Type.String(), revoked: Type.Boolean() })) });

export const PhotoAnswer = Type.Object({ id: Type.String(), width: Type.Integer(), height: Type.Integer(), bytes: Type.Integer() });
export const PhotoParams = Strict({ photoId: Type.String({ format: 'uuid' }) });
export const StaffPhotoParams = Strict({ id: Type.String({ pattern: '^\\d{1,15}$' }), photoId: Type.String({ format: 'uuid' }) });
export const PhotoQuery = Strict({ thumb: Type.Optional(Type.Boolean()), original: Type.Optional(Type.Boolean({ description: 'the full-resolution original (metadata removed) instead of the 1280 px copy' })) });
export const PhotoBytes = Type.String({ format: 'binary', description: 'image/jpeg without metadata' });
