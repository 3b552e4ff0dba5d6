/** Request and answer schemas of supervision notices, case reviews and the figures (TypeBox). */
import { Type } from '@sinclair/typebox';
import { Instant, Nullable, Paging, Strict, TypedStringEnum } from '../../core/typebox.js';
import { NOTICE_STATES, PROBLEM_TYPES } from './domain/notices.js';
import { GRADES, ITEM_RESULTS } from './domain/review.js';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const IssueBody = Strict({
  items: Type.Array(Strict({ type: TypedStringEnum(PROBLEM_TYPES), description: Text(1000) }), { minItems: 1, maxItems: 20, description: 'the problems found, each of a type (受立案不及时, 超期羁押, 冻结账户不规范…)' }),
  answerDueAt: Instant,
});

export const AnswerBody = Strict({ text: Text(4000) });

export const VerifyBody = Strict({
  result: TypedStringEnum(['accepted', 'returned'] as const, { description: 'accepted: rectified; returned: rework, with a comment and a new due date' }),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
  answerDueAt: Type.Optional(Instant),
});

export const NoticeQuery = Strict({
  state: Type.Optional(Type.Array(TypedStringEnum(NOTICE_STATES), { maxItems: 4 })),
  overdue: Type.Optional(Type.Boolean({ description: 'true: only notices owing an answer past their due date' })),
  caseId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  ...Paging,
});

export const NoticeStep = Type.Object({
  action: TypedStringEnum(['answer', 'accept', 'return'] as const),
  at: Instant,
  by: Type.String(),
  text: Type.Optional(Type.String()),
  comment: Type.Optional(Type.String()),
  answerDueAt: Type.Optional(Instant),
  late: Type.Optional(Type.Boolean()),
});

export const Notice = Type.Object({
  id: Type.String(),
  number: Type.String(),
  caseId: Type.String(),
  caseNumber: Type.String(),
  caseTitle: Type.String(),
  stationId: Type.String(),
  officer: Type.String(),
  state: TypedStringEnum(NOTICE_STATES),
  items: Type.Array(Type.Object({ type: TypedStringEnum(PROBLEM_TYPES), description: Type.String() })),
  issuedAt: Instant,
  issuedBy: Type.String(),
  answerDueAt: Instant,
  /** Owes an answer past its due date now. */
  overdue: Type.Boolean(),
  firstAnsweredAt: Nullable(Instant),
  /** An answer came after the due date then in force. */
  late: Type.Boolean(),
  steps: Type.Array(NoticeStep),
  closedAt: Nullable(Instant),
  version: Type.Integer(),
});

export const NoticeList = Type.Object({ items: Type.Array(Notice), total: Type.Integer() });

export const ReviewBody = Strict({
  items: Type.Array(Strict({ id: Text(64), result: TypedStringEnum(ITEM_RESULTS), note: Type.Optional(Type.String({ maxLength: 1000 })) }), { minItems: 1, maxItems: 50 }),
  comment: Type.Optional(Type.String({ maxLength: 4000 })),
});

export const Review = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  stationId: Type.String(),
  officer: Type.String(),
  items: Type.Array(Type.Object({ id: Type.String(), result: TypedStringEnum(ITEM_RESULTS), note: Type.Optional(Type.String()) })),
  score: Type.Number(),
  grade: TypedStringEnum(GRADES),
  comment: Nullable(Type.String()),
  reviewedAt: Instant,
  reviewedBy: Type.String(),
});

export const ReviewAnswer = Type.Object({ review: Nullable(Review) });

export const StatsQuery = Strict({
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  leadHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 720, default: 24 })),
});

const FigureFields = {
  cases: Type.Integer({ description: 'cases in scope open now or closed within the period' }),
  overdue: Type.Integer({ description: 'cases with a clock overdue now or finished late within the period (target 0)' }),
  yellow: Type.Integer({ description: 'running clocks due within the lead time' }),
  medianLeftAtCompletionHours: Nullable(Type.Number({ description: 'median of due − done over clocks finished within the period, hours (negative: late)' })),
  noticesTotal: Type.Integer({ description: 'notices issued within the period' }),
  noticesOnTime: Type.Integer({ description: 'of those, answered with every answer by its due date' }),
  noticesOverdue: Type.Integer({ description: 'notices owing an answer past their due date now' }),
};

export const Stats = Type.Object({
  from: Instant,
  to: Instant,
  at: Instant,
  ...FigureFields,
  /** Recordings linked ÷ steps requiring one (the media module); null until it answers. */
  linkageRate: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
  reviews: Type.Integer({ description: 'case reviews within the period' }),
  meanReviewScore: Nullable(Type.Number()),
  problemsByType: Type.Array(Type.Object({ type: TypedStringEnum(PROBLEM_TYPES), count: Type.Integer() })),
  byStation: Type.Array(Type.Object({ stationId: Type.String(), ...FigureFields })),
  byOfficer: Type.Array(Type.Object({ officer: Type.String(), stationId: Type.String(), ...FigureFields })),
  /** More cases in scope than the figures read at once (the most recent are read). */
  truncated: Type.Boolean(),
});
