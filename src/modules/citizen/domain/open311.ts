/**
 * Open311 GeoReport v2 documents (spec: assets/standards/open311/): JSON by the Spark convention
 * (an array of objects for `services` / `service_requests`) and XML with the spec's element names,
 * no namespace. Ids and codes are always written as strings; on input both numbers and strings are
 * accepted (the spec's own examples write numbers).
 */

export type Format = 'json' | 'xml';

/** A value of an Open311 document: scalars, null, nested objects and lists (lists repeat their element). */
export type O311Value = string | number | boolean | null | O311Value[] | { [k: string]: O311Value };

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
/** XML 1.0 cannot carry most control characters; they are dropped. */
// eslint-disable-next-line no-control-regex
const xmlText = (s: string) => escapeXml(s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));

function element(name: string, v: O311Value, itemName: string | undefined, indent: string): string {
  if (v === null || v === '') return `${indent}<${name}/>\n`;
  if (Array.isArray(v)) {
    const inner = v.map((x) => element(itemName ?? 'item', x, undefined, indent + '  ')).join('');
    return `${indent}<${name}>\n${inner}${indent}</${name}>\n`;
  }
  if (typeof v === 'object') {
    const inner = Object.entries(v)
      .map(([k, x]) => element(k, x, LIST_ITEMS[k], indent + '  '))
      .join('');
    return `${indent}<${name}>\n${inner}${indent}</${name}>\n`;
  }
  return `${indent}<${name}>${xmlText(String(v))}</${name}>\n`;
}

/** Element names of list items (the Spark convention's reverse). */
const LIST_ITEMS: Record<string, string> = { services: 'service', service_requests: 'request', endpoints: 'endpoint', formats: 'format', errors: 'error', attributes: 'attribute', values: 'value' };

/** The XML document of a root element holding `value`. */
export function toXml(root: string, value: O311Value): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, LIST_ITEMS[root], '')}`;
}

export function render(format: Format, root: string, value: O311Value): { type: string; body: string } {
  return format === 'xml' ? { type: 'text/xml; charset=utf-8', body: toXml(root, value) } : { type: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}

/** The spec's error document: `[{code, description}]` / `<errors><error>…`. */
export function errorDocument(format: Format, status: number, description: string) {
  return render(format, 'errors', [{ code: status, description }]);
}

/** An id or code as given (number or string) → its string, or null when it is neither. */
export function idText(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.trim() !== '' && v.length <= 64) return v.trim();
  return null;
}

/** A report id (a positive integer written as a number or a string), or null. */
export function reportId(v: unknown): number | null {
  const s = idText(v);
  if (!s || !/^\d{1,15}$/.test(s)) return null;
  const n = Number(s);
  return n > 0 && Number.isSafeInteger(n) ? n : null;
}

/** The path's `name.format` (`services.json`, `requests/12.xml`) → the name and the format, or null. */
export function splitFormat(s: string): { name: string; format: Format } | null {
  const m = /^(.+)\.(json|xml)$/i.exec(s);
  return m ? { name: m[1], format: m[2].toLowerCase() as Format } : null;
}

/** A comma-separated list argument (ids, codes, statuses), each trimmed, at most `max` kept. */
export function listArg(v: unknown, max = 100): string[] {
  if (v === undefined || v === null || v === '') return [];
  const parts = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(','));
  return parts.map((x) => x.trim()).filter(Boolean).slice(0, max);
}

/** The spec's w3 date-time in UTC without milliseconds: 2010-01-01T00:00:00Z. */
export function w3(d: Date | null): string | null {
  return d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}
