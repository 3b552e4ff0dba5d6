/**
 * The supervision board's colours (issue 14): every running clock is green, yellow from a lead time
 * before it falls due (configurable, e.g. 24 h), red once overdue; a stopped clock (an examination
 * running) is grey and waits. Overdue first, then by time left. Pure: the clocks come computed.
 */
import { stateAt, type ClockResult } from './calculator.js';

export const BOARD_COLOURS = ['red', 'yellow', 'green', 'grey'] as const;
export type BoardColour = (typeof BOARD_COLOURS)[number];

export interface BoardClock<C> {
  item: C;
  clock: ClockResult;
  colour: BoardColour;
  /** Milliseconds left (negative: overdue by); null while stopped. */
  leftMs: number | null;
}

/** The colour of one clock at `now`, or null when it needs no watching (done). */
export function colourOf(clock: ClockResult, now: Date, leadMs: number): BoardColour | null {
  const state = stateAt(clock, now);
  if (state === 'done') return null;
  if (state === 'overdue') return 'red';
  if (state === 'stopped' || !clock.dueAt) return 'grey';
  return clock.dueAt.getTime() - now.getTime() <= leadMs ? 'yellow' : 'green';
}

const RANK: Record<BoardColour, number> = { red: 0, yellow: 1, green: 2, grey: 3 };

/** Every clock to watch, overdue first (longest overdue first), then by time left; stopped ones last. */
export function boardOf<C>(entries: readonly { item: C; clocks: readonly ClockResult[] }[], now: Date, leadMs: number): BoardClock<C>[] {
  const out: BoardClock<C>[] = [];
  for (const { item, clocks } of entries)
    for (const clock of clocks) {
      const colour = colourOf(clock, now, leadMs);
      if (colour) out.push({ item, clock, colour, leftMs: clock.dueAt ? clock.dueAt.getTime() - now.getTime() : null });
    }
  return out.sort((a, b) => RANK[a.colour] - RANK[b.colour] || (a.leftMs ?? Infinity) - (b.leftMs ?? Infinity));
}

/** The board's order: the earliest due among the running clocks, and how many are overdue now. */
export function nextDue(clocks: readonly ClockResult[], now: Date): { nextDueAt: Date | null; nextDueRule: string | null; overdueClocks: number } {
  let best: ClockResult | null = null;
  let overdue = 0;
  for (const c of clocks) {
    const state = stateAt(c, now);
    if (state === 'overdue') overdue++;
    if ((state === 'running' || state === 'overdue') && c.dueAt && (!best || c.dueAt < best.dueAt!)) best = c;
  }
  return { nextDueAt: best?.dueAt ?? null, nextDueRule: best?.rule ?? null, overdueClocks: overdue };
}
