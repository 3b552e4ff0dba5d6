/**
 * When an officer's clearing closes the incident (结警规则). The crew's clearing always records its
 * disposition code and note on the incident (处警反馈) and moves it to `cleared`; whether it is closed
 * there and then is the station's rule:
 *
 *  - `review` (default): the incident waits in `cleared` until the station (chief or dispatcher) has
 *    read the field report and closes it — closing is a decision, not a side effect of a button.
 *  - `officer`: the crew's disposition closes it at once (small stations without a reviewer).
 *
 * `SHOUWANG_CLOSE_ON_CLEAR` holds the city's rule and per-station exceptions:
 * `review`, `officer`, or e.g. `review,MO0101=officer,MO0203=officer`.
 */
export type CloseRule = 'review' | 'officer';

export interface CloseRules {
  default: CloseRule;
  stations: Record<string, CloseRule>;
}

export const DEFAULT_CLOSE_RULES: CloseRules = { default: 'review', stations: {} };

const isRule = (s: string): s is CloseRule => s === 'review' || s === 'officer';

/** Parses the setting; an unknown word is refused so a typo does not silently change closure. */
export function parseCloseRules(text: string | undefined): CloseRules {
  const out: CloseRules = { default: 'review', stations: {} };
  for (const part of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (!isRule(part)) throw new Error(`SHOUWANG_CLOSE_ON_CLEAR: "${part}" is neither review nor officer`);
      out.default = part;
      continue;
    }
    const station = part.slice(0, eq).trim();
    const rule = part.slice(eq + 1).trim();
    if (!station || !isRule(rule)) throw new Error(`SHOUWANG_CLOSE_ON_CLEAR: "${part}" should read <station>=review|officer`);
    out.stations[station] = rule;
  }
  return out;
}

/** The rule of the incident's station. */
export function closeRuleOf(rules: CloseRules | undefined, stationId: string): CloseRule {
  const r = rules ?? DEFAULT_CLOSE_RULES;
  return r.stations[stationId] ?? r.default;
}
