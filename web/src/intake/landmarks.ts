/**
 * Landmarks among the address suggestions (issue 11 #4): a hotel, school, hospital, square, bridge or
 * station the caller names, from the landmark list of the address module. A landmark has a point but
 * no registry code: the incident gets its point and the words, not an `addressCode`.
 */
import type { AddressHit } from '../incidents/model';

/** The registry code of an accepted suggestion (none for a landmark). */
export function registryCode(hit: AddressHit | null): string | undefined {
  return hit && hit.kind !== 'landmark' ? hit.code : undefined;
}

const squash = (s: string) => s.replace(/\s+/g, '');

/**
 * The words kept when a landmark is taken: its name, and what the caller said beside it when that says
 * more (`威尼斯人酒店正门` → `澳門威尼斯人酒店（威尼斯人酒店正门）`): the gate, the corner, the floor.
 */
export function landmarkText(name: string, said: string): string {
  const words = said.trim();
  if (!words || squash(name).includes(squash(words))) return name;
  return `${name}（${words}）`;
}
