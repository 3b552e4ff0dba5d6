/** Small shared pieces of the intake console: field names, the server-error → field map, the key cap. */
import { normaliseField } from '../format';

export type FieldName = 'phone' | 'callerName' | 'address' | 'category' | 'priority' | 'priorityReason' | 'description';
export type Errors = Partial<Record<FieldName, string>>;

export const PHONE_RE = /^[+0-9 ()-]{3,32}$/;

/** Where a server error's field goes on this form. */
export function fieldOf(field: string | undefined): FieldName | null {
  if (!field) return null;
  const f = field.replace(/^\/+/, '').replace(/^body[./]/, '');
  if (f.startsWith('caller/phone') || f.startsWith('caller.phone')) return 'phone';
  if (f.startsWith('caller')) return 'callerName';
  const n = normaliseField(f);
  if (n === 'categoryCode') return 'category';
  if (n === 'location' || n === 'addressCode' || n === 'address' || n === 'stationId') return 'address';
  if (n === 'priority' || n === 'priorityReason' || n === 'description') return n;
  return null;
}

export function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const R = 6_371_000;
  const dLat = ((b.lat - a.lat) * Math.PI) / 180;
  const dLon = ((b.lon - a.lon) * Math.PI) / 180;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos((a.lat * Math.PI) / 180) * Math.cos((b.lat * Math.PI) / 180) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(s));
}

export function Kbd({ children }: { children: string }) {
  return <kbd className="sw-kbd">{children}</kbd>;
}

/**
 * True when the focused element is a list box that is open (an address or category list): Esc then
 * closes the list, not the call. Read from the element itself (aria-expanded), never from a flag kept
 * beside it: such a flag went stale after a pick and Esc stopped clearing (issue 11 #1).
 */
export function focusedListOpen(): boolean {
  return document.activeElement?.getAttribute('aria-expanded') === 'true';
}
