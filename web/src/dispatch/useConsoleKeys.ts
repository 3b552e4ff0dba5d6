/**
 * The dispatcher console's keys (listed in its key help, `?`): ↑/↓ move the cursor, Enter selects and
 * then assigns, 1–5 pick a recommendation, A assigns, C coverage, D dispute places, U units, M merge the
 * first likely duplicate, L alerts, Esc clears. Keys typed into a field, with a modifier, or while a
 * dialog asks something are left alone.
 */
import { useEffect, useRef } from 'react';
import type { Incident } from '../incidents/model';
import type { DuplicateOf } from './duplicates';
import type { Recommendation } from './model';

export interface ConsoleKeyState {
  queue: Incident[];
  cursor: number;
  selectedId: string | null;
  recs: Recommendation[];
  highlighted: Recommendation | null;
  /** A dialog or drawer that takes the keys (Esc closes the help and the alerts). */
  helpOpen: boolean;
  alertsOpen: boolean;
  asking: boolean;
  mergeFirst: DuplicateOf | null;
}

export interface ConsoleKeyActions {
  select(id: string): void;
  assign(rec: Recommendation | null): Promise<void>;
  moveCursor(id: string): void;
  pickRecommendation(i: number): void;
  toggleCoverage(): void;
  toggleDisputes(): void;
  toggleUnits(): void;
  askMerge(d: DuplicateOf): void;
  openAlerts(): void;
  openHelp(): void;
  closeOverlays(): void;
  clearSelection(): void;
}

const typingInto = (el: HTMLElement | null) => !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);

export function useConsoleKeys(state: ConsoleKeyState, actions: ConsoleKeyActions) {
  // One listener for the page's life; it reads the latest state and actions.
  const latest = useRef({ state, actions });
  latest.current = { state, actions };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { state: s, actions: a } = latest.current;
      const el = e.target as HTMLElement | null;
      if (typingInto(el) || e.ctrlKey || e.metaKey || e.altKey || s.asking) return;
      if (s.helpOpen || s.alertsOpen) {
        if (e.key === 'Escape') a.closeOverlays();
        return;
      }
      const k = e.key;
      if ((k === 'Enter' || k === ' ') && el && (el.tagName === 'BUTTON' || el.tagName === 'A' || el.getAttribute('role') === 'tab')) return;
      if (k === 'ArrowDown' || k === 'ArrowUp') {
        e.preventDefault();
        const next = s.queue[Math.max(0, Math.min(s.queue.length - 1, s.cursor + (k === 'ArrowDown' ? 1 : -1)))];
        if (next) a.moveCursor(next.id);
      } else if (k === 'Enter') {
        e.preventDefault();
        const at = s.queue[s.cursor];
        if (at && at.id !== s.selectedId) a.select(at.id);
        else if (at) void a.assign(s.highlighted);
      } else if (/^[1-5]$/.test(k)) {
        const i = Number(k) - 1;
        if (i < s.recs.length) a.pickRecommendation(i);
      } else if (k === 'a' || k === 'A') void a.assign(s.highlighted);
      else if (k === 'c' || k === 'C') a.toggleCoverage();
      else if (k === 'd' || k === 'D') a.toggleDisputes();
      else if (k === 'u' || k === 'U') a.toggleUnits();
      else if ((k === 'm' || k === 'M') && s.mergeFirst) a.askMerge(s.mergeFirst);
      else if (k === 'l' || k === 'L') a.openAlerts();
      else if (k === '?') a.openHelp();
      else if (k === 'Escape') a.clearSelection();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
