/** Community policing's request and answer schemas (TypeBox). */
import { Type } from '@sinclair/typebox';
import { Id, Instant, Nullable, Paging, Strict, StringEnum, TypedStringEnum } from '../../core/typebox.js';
import { DISPUTE_TYPES } from '../disputes/index.js';
import { FINDING_CODES, FOLLOW_UP_KINDS, MAX_FINDINGS, MAX_MET, MAX_NOTE, PREMISES, SERVICE_CODES, SKIP_REASONS } from './domain/vocabulary.js';

const Point = Strict({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) });
const AddressCode = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const PLAN_REASONS = ['open_dispute', 'repeat_incidents', 'never_visited', 'oldest_visit'] as const;

export const DaysQuery = Strict({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 730, default: 90, description: 'coverage window: addresses visited in the last N days' })),
  polygon: Type.Optional(Type.Boolean({ description: 'include each grid’s polygon (the map layer)' })),
});

const Target = Type.Object({ households: Type.Integer(), units: Type.Integer(), perWeek: Type.Integer(), isDefault: Type.Boolean() });
const Owner = Type.Object({ id: Type.String(), displayName: Type.String() });

export const GridItem = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  stationId: Nullable(Type.String()),
  owners: Type.Array(Owner),
  target: Target,
  doors: Type.Integer({ description: 'registered addresses in the grid' }),
  visitedDoors: Type.Integer({ description: 'of them, visited in the last `days` days' }),
  coverage: Nullable(Type.Number({ description: 'visitedDoors ÷ doors' })),
  days: Type.Integer(),
  polygon: Type.Optional(Type.Unknown()),
});
export const GridList = Type.Object({ items: Type.Array(GridItem) });

const CivicGridItem = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), version: Type.Integer(), validFrom: Instant, polygon: Type.Unknown() });
export const GridDetail = Type.Object({ ...GridItem.properties, polygon: Type.Unknown(), civicGrids: Type.Array(CivicGridItem) });

export const OwnersBody = Strict({ userIds: Type.Array(Id, { maxItems: 10 }) });
export const TargetBody = Strict({ households: Type.Integer({ minimum: 0, maximum: 200 }), units: Type.Integer({ minimum: 0, maximum: 200 }) });

export const CivicImportBody = Type.Object(
  { type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10_000 }) },
  { additionalProperties: true, description: 'GeoJSON FeatureCollection; each feature a Polygon or MultiPolygon with properties.code (standard code) and properties.name' },
);
export const CivicImportAnswer = Type.Object({
  new: Type.Integer(),
  changed: Type.Integer(),
  unchanged: Type.Integer(),
  items: Type.Array(Type.Object({ code: Type.String(), action: StringEnum(['new', 'changed', 'unchanged'] as const), version: Type.Integer() })),
});
export const CivicListQuery = Strict({ gridId: Type.Optional(Id) });
export const CivicList = Type.Object({ items: Type.Array(Type.Object({ ...CivicGridItem.properties, stationId: Type.String(), policeGridId: Nullable(Type.String()) })) });

const Finding = Strict({ code: TypedStringEnum(FINDING_CODES), note: Type.Optional(Type.String({ maxLength: MAX_NOTE, description: 'the problem, not the people' })) });

export const VisitBody = Strict({
  addressCode: Type.Optional(AddressCode),
  location: Type.Optional(Point),
  premises: Type.Optional(TypedStringEnum(PREMISES)),
  services: Type.Array(TypedStringEnum(SERVICE_CODES), { maxItems: SERVICE_CODES.length }),
  findings: Type.Array(Finding, { maxItems: MAX_FINDINGS }),
  visitedAt: Type.Optional(Instant),
  metCount: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_MET, description: 'people met: a count, not names' })),
});

export const VisitView = Type.Object({
  id: Type.String(),
  addressCode: Nullable(Type.String()),
  address: Nullable(Type.String()),
  location: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
  stationId: Type.String(),
  gridId: Nullable(Type.String()),
  premises: StringEnum(PREMISES),
  officerId: Type.String(),
  officerName: Type.String(),
  visitedAt: Instant,
  recordedAt: Instant,
  services: Type.Array(StringEnum(SERVICE_CODES)),
  findings: Type.Array(
    Type.Object({
      index: Type.Integer(),
      code: StringEnum(FINDING_CODES),
      note: Nullable(Type.String()),
      followUp: Nullable(Type.Object({ kind: StringEnum(FOLLOW_UP_KINDS), id: Type.String(), number: Nullable(Type.String()), at: Instant })),
    }),
  ),
  metCount: Nullable(Type.Integer()),
});

export const VisitQuery = Strict({
  gridId: Type.Optional(Id),
  officerId: Type.Optional(Id),
  addressCode: Type.Optional(AddressCode),
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  ...Paging,
});
export const VisitList = Type.Object({ items: Type.Array(VisitView), total: Type.Integer() });

export const FindingParams = Strict({ id: Id, finding: Type.Integer({ minimum: 0, maximum: MAX_FINDINGS - 1 }) });
const Party = Strict({
  name: Type.String({ minLength: 1, maxLength: 50 }),
  phone: Type.Optional(Type.String({ minLength: 3, maxLength: 20, pattern: '^[0-9+ -]+$' })),
  role: TypedStringEnum(['applicant', 'respondent', 'other'] as const),
  relation: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  vulnerable: Type.Optional(Type.Boolean()),
});
export const DisputeFromFindingBody = Strict({
  parties: Type.Array(Party, { minItems: 1, maxItems: 20, description: 'the parties of the dispute (needed by the register; a follow-up needs a contact)' }),
  summary: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
  type: Type.Optional(TypedStringEnum(DISPUTE_TYPES)),
});
export const FollowUpAnswer = Type.Object({ visitId: Type.String(), finding: Type.Integer(), followUp: Type.Object({ kind: StringEnum(FOLLOW_UP_KINDS), id: Type.String(), number: Nullable(Type.String()) }) });

const Door = Type.Object({ addressCode: Type.String(), address: Type.String(), lastVisitedAt: Nullable(Instant) });
const Counted = Type.Object({ addressCode: Type.String(), address: Type.String(), count: Type.Integer() });
export const MyPlan = Type.Object({
  week: Type.String({ description: 'Monday of the week (local day)' }),
  grids: Type.Array(
    Type.Object({
      gridId: Type.String(),
      code: Type.String(),
      name: Type.String(),
      target: Target,
      done: Type.Integer({ description: 'my visits in this grid this week' }),
      doors: Type.Integer(),
      items: Type.Array(
        Type.Object({
          addressCode: Type.String(),
          address: Type.String(),
          location: Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number() })),
          reason: StringEnum(PLAN_REASONS),
          visits: Type.Integer(),
          lastVisitedAt: Nullable(Instant),
        }),
      ),
      skipped: Type.Array(Type.Object({ addressCode: Type.String(), address: Type.String(), reason: StringEnum(SKIP_REASONS), note: Nullable(Type.String()) })),
      longestUnvisited: Type.Array(Door),
      openDisputes: Type.Array(Counted),
      repeatIncidents: Type.Array(Counted),
    }),
  ),
});

export const SkipBody = Strict({ addressCode: AddressCode, reason: TypedStringEnum(SKIP_REASONS), note: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) });
export const SkipAnswer = Type.Object({ week: Type.String(), addressCode: Type.String(), reason: StringEnum(SKIP_REASONS), note: Nullable(Type.String()) });

export const FiguresQuery = Strict({ weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 26, default: 4 })) });
export const Figures = Type.Object({
  weeks: Type.Array(Type.String()),
  officers: Type.Array(
    Type.Object({
      officerId: Type.String(),
      displayName: Type.String(),
      gridIds: Type.Array(Type.String()),
      target: Type.Object({ households: Type.Integer(), units: Type.Integer(), perWeek: Type.Integer() }),
      weeks: Type.Array(Type.Object({ week: Type.String(), households: Type.Integer(), units: Type.Integer(), total: Type.Integer(), met: Type.Boolean() })),
    }),
  ),
});

export const PlateParams = Strict({ code: AddressCode });
export const PlateView = Type.Object({ code: Type.String(), address: Type.String() });
export const Candidates = Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String(), unitId: Type.String() })) });
