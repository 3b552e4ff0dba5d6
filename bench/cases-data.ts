/**
 * Synthetic open cases for bench:cases: procedural steps as a station records them, spread over the last
 * weeks before `now` so most clocks run (a few overdue, some stopped by an examination, some extended).
 * Deterministic for a seed. Four shapes: a criminal case waiting for its filing decision; a detention
 * waiting for the arrest request (some extended); an arrest in investigation custody (some with a
 * psychiatric evaluation); a public-order case (summons, an injury assessment, a seizure).
 */
import { mulberry32 } from '../src/core/random.js';
import type { CaseEvent } from '../src/modules/cases/domain/events.js';
import type { CaseKind } from '../src/modules/cases/domain/rules.js';

const H = 3_600_000;
const D = 24 * H;

export interface BenchCase {
  kind: CaseKind;
  events: CaseEvent[];
}

const SURNAMES = ['张', '王', '李', '赵', '陈', '刘', '杨', '黄', '周', '吴'];

export function benchCases(n: number, now: Date, seed = 14): BenchCase[] {
  const rnd = mulberry32(seed);
  const t0 = now.getTime();
  const at = (msAgo: number) => new Date(t0 - Math.max(0, Math.round(msAgo)));
  const out: BenchCase[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const who = `${SURNAMES[i % SURNAMES.length]}某${i % 97}`;
    if (r < 0.35) {
      out.push({ kind: 'criminal', events: [{ type: 'accepted', at: at(rnd() * 3.5 * D) }] });
    } else if (r < 0.6) {
      const acc = rnd() * 3 * D + 2 * H;
      const det = acc - H - rnd() * H;
      const ev: CaseEvent[] = [
        { type: 'accepted', at: at(acc) },
        { type: 'filed', at: at(acc - H / 2) },
        { type: 'detention', at: at(det), subject: who },
        { type: 'questioning_started', at: at(det - 2 * H - rnd() * 10 * H), subject: who },
      ];
      if (rnd() < 0.3) ev.push({ type: 'extension', at: at(det - 20 * H), rule: 'arrest_request', extension: 'special', approver: '分局局长', amount: 1 + Math.floor(rnd() * 4), subject: who });
      out.push({ kind: 'criminal', events: ev.sort((a, b) => a.at.getTime() - b.at.getTime()) });
    } else if (r < 0.75) {
      const arrest = rnd() * 55 * D + D;
      const det = arrest + 5 * D;
      const ev: CaseEvent[] = [
        { type: 'accepted', at: at(det + 2 * H) },
        { type: 'filed', at: at(det + H) },
        { type: 'detention', at: at(det), subject: who },
        { type: 'questioning_started', at: at(det - 3 * H), subject: who },
        { type: 'arrest_requested', at: at(det - 2 * D), subject: who },
        { type: 'arrest_approved', at: at(arrest + H), subject: who },
        { type: 'arrest', at: at(arrest), subject: who },
      ];
      if (rnd() < 0.2) {
        const from = arrest - 5 * D;
        ev.push({ type: 'examination_started', at: at(from), kind: 'psychiatric', ref: `P${i}`, subject: who });
        if (rnd() < 0.7 && from > 12 * D) ev.push({ type: 'examination_ended', at: at(from - 10 * D), ref: `P${i}`, subject: who });
      }
      out.push({ kind: 'criminal', events: ev.filter((e) => e.at.getTime() <= t0).sort((a, b) => a.at.getTime() - b.at.getTime()) });
    } else {
      const acc = rnd() * 28 * D + H;
      const ev: CaseEvent[] = [
        { type: 'accepted', at: at(acc) },
        { type: 'summons', at: at(acc - H / 2), subject: who },
        { type: 'questioning_ended', at: at(acc - 3 * H), subject: who },
      ];
      if (rnd() < 0.3 && acc > 3 * D) {
        ev.push({ type: 'examination_started', at: at(acc - 2 * D), kind: 'injury', ref: `J${i}` });
        if (rnd() < 0.6) ev.push({ type: 'examination_ended', at: at(acc - 2 * D - rnd() * (acc - 2 * D)), ref: `J${i}` });
      }
      if (rnd() < 0.3) ev.push({ type: 'seizure', at: at(acc - 4 * H), subject: `物品${i}` });
      out.push({ kind: 'administrative', events: ev.sort((a, b) => a.at.getTime() - b.at.getTime()) });
    }
  }
  return out;
}
