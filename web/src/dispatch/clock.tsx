/**
 * The console's clocks: a shared one-second clock for the age counters (only the counters re-render), a
 * slower one for the position ages, the stream's position times, and the waiting timer of an incident
 * that stops when a unit is on scene.
 */
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../incidents/model';
import { ageText } from './model';

let clockNow = Date.now();
const clockSubs = new Set<() => void>();
let clockTimer: ReturnType<typeof setInterval> | null = null;
function subscribeClock(f: () => void) {
  clockSubs.add(f);
  clockTimer ??= setInterval(() => {
    clockNow = Date.now();
    for (const s of clockSubs) s();
  }, 1000);
  return () => {
    clockSubs.delete(f);
    if (!clockSubs.size && clockTimer) {
      clearInterval(clockTimer);
      clockTimer = null;
    }
  };
}
export const useNow = () => useSyncExternalStore(subscribeClock, () => clockNow);

/** A slower clock for the position ages of the unit list (a few seconds is precise enough there). */
const SLOW_CLOCK_MS = 5000;
let slowNow = Date.now();
const slowSubs = new Set<() => void>();
let slowTimer: ReturnType<typeof setInterval> | null = null;
function subscribeSlowClock(f: () => void) {
  slowSubs.add(f);
  slowTimer ??= setInterval(() => {
    slowNow = Date.now();
    for (const s of slowSubs) s();
  }, SLOW_CLOCK_MS);
  return () => {
    slowSubs.delete(f);
    if (!slowSubs.size && slowTimer) {
      clearInterval(slowTimer);
      slowTimer = null;
    }
  };
}
export const useSlowNow = () => useSyncExternalStore(subscribeSlowClock, () => slowNow);

/**
 * The time of each unit's latest position (ms since the epoch), written by every position from the
 * stream. Positions are not React state: 500 units at 1 Hz would re-render the console 500 times a
 * second. The unit list reads it when its age column refreshes.
 */
export class PositionTimes {
  private readonly at = new Map<string, number>();
  note(unitId: string, at: string | undefined) {
    const t = at ? Date.parse(at) : NaN;
    if (Number.isFinite(t) && t > (this.at.get(unitId) ?? 0)) this.at.set(unitId, t);
  }
  get(unitId: string): number | undefined {
    return this.at.get(unitId);
  }
}

export function Age({ since, warnAfter }: { since: string | null | undefined; warnAfter?: number }) {
  const now = useNow();
  if (!since) return <span>—</span>;
  const s = (now - Date.parse(since)) / 1000;
  return (
    <span className="sw-mono" style={warnAfter && s > warnAfter ? { color: '#cf1322', fontWeight: 600 } : undefined}>
      {ageText(s)}
    </span>
  );
}

/**
 * How long the incident has waited: counting while no unit is on scene; once one is, the time it took to
 * be on scene (recorded → on scene), still (#11.15: the timer kept running after arrival).
 */
export function WaitTimer({ incident, warnAfter, testId }: { incident: Pick<Incident, 'times'>; warnAfter?: number; testId?: string }) {
  const { t } = useTranslation('dispatch');
  const { recordedAt, onSceneAt } = incident.times;
  if (onSceneAt) {
    const s = (Date.parse(onSceneAt) - Date.parse(recordedAt)) / 1000;
    return (
      <span className="sw-mono sw-dc-onscene" data-testid={testId} data-state="on-scene" title={t('onSceneAfterHint')}>
        {t('onSceneAfter', { t: ageText(s) })}
      </span>
    );
  }
  return (
    <span data-testid={testId} data-state="waiting">
      <Age since={recordedAt} warnAfter={warnAfter} />
    </span>
  );
}
