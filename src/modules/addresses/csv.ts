/**
 * CSV import of the address registry (pure parsing and validation).
 * Header (first line, exactly these columns in this order; a UTF-8 BOM is allowed):
 *   code,district,road,number,building,unit,lon,lat
 * RFC 4180 quoting: fields may be quoted with "…", "" inside quotes is one quote, and a quoted field
 * may hold commas and line breaks. Lines end in LF or CRLF. Blank lines are skipped.
 * Every row is validated and every error reported as {line, field, message}; the import is
 * all-or-nothing (the service inserts nothing when there is any error).
 */
import { cleanNumber, composeText } from './normalise.js';
import { runAtOnce } from './slices.js';

export const CSV_COLUMNS = ['code', 'district', 'road', 'number', 'building', 'unit', 'lon', 'lat'] as const;
export const CODE_PATTERN = /^[A-Z0-9][A-Z0-9-]{1,31}$/;
export const NUMBER_PATTERN = /^[0-9A-Za-z-]{0,16}$/;
/** Errors reported at most (the rest are counted). */
export const MAX_ERRORS = 100;

export interface CsvError {
  line: number;
  field: string;
  message: string;
}

export interface AddressInput {
  code: string;
  district: string;
  road: string;
  number: string;
  building: string;
  unit: string;
  lon: number;
  lat: number;
}

/** Keeps the first MAX_ERRORS errors and counts them all: a file of bad lines must not fill the memory. */
export class CsvErrors {
  readonly list: CsvError[] = [];
  count = 0;
  push(...errors: CsvError[]): void {
    this.count += errors.length;
    for (const e of errors) if (this.list.length < MAX_ERRORS) this.list.push(e);
  }
}

export interface ParsedRecord {
  line: number;
  fields: string[];
}

/** Splits CSV text into records, each with the line it starts on (1-based). */
export function parseCsv(text: string): { records: ParsedRecord[]; errors: CsvError[] } {
  const errors: CsvError[] = [];
  return { records: [...csvRecords(text, errors)], errors };
}

/** The records of CSV text one by one (a caller may pause between them); syntax errors go to `errors`. */
export function* csvRecords(text: string, errors: { push(e: CsvError): unknown }): Generator<ParsedRecord, void> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let endOfRecord = false;
    while (!endOfRecord) {
      if (text[i] === '"') {
        // Quoted field.
        i++;
        let closed = false;
        while (i < n) {
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (!closed) {
          errors.push({ line: start, field: 'row', message: 'unterminated quoted field' });
          return;
        }
        // After the closing quote: a separator, end of line or end of text.
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          errors.push({ line, field: 'row', message: 'unexpected character after a closing quote' });
          while (i < n && text[i] !== '\n') i++;
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      }
      fields.push(field);
      field = '';
      if (i >= n) endOfRecord = true;
      else if (text[i] === ',') i++;
      else {
        if (text[i] === '\r') i++;
        if (text[i] === '\n') i++;
        line++;
        endOfRecord = true;
      }
    }
    if (fields.length === 1 && fields[0].trim() === '') continue; // blank line
    yield { line: start, fields };
  }
}

/** Checks one address (shared by the CSV import and the single-address route). `at` names the row. */
export function validateAddress(raw: Record<(typeof CSV_COLUMNS)[number], string>, line: number): { value?: AddressInput; errors: CsvError[] } {
  const errors: CsvError[] = [];
  const err = (field: string, message: string) => errors.push({ line, field, message });
  const code = raw.code.trim();
  if (!code) err('code', 'required');
  else if (!CODE_PATTERN.test(code)) err('code', 'expected 2–32 upper-case letters, digits or -, e.g. MO0101000001');
  const text = (field: 'district' | 'road' | 'building' | 'unit', required: boolean, max: number) => {
    const v = raw[field].trim();
    if (required && !v) err(field, 'required');
    else if (v.length > max) err(field, `at most ${max} characters`);
    return v;
  };
  const district = text('district', true, 32);
  const road = text('road', true, 64);
  const building = text('building', false, 64);
  const unit = text('unit', false, 32);
  const number = cleanNumber(raw.number);
  if (!NUMBER_PATTERN.test(number)) err('number', 'a door number: digits and letters, at most 16 (e.g. 12, 12A)');
  const coord = (field: 'lon' | 'lat', limit: number) => {
    const s = raw[field].trim();
    const v = Number(s);
    if (!s) err(field, 'required');
    else if (!Number.isFinite(v)) err(field, `not a number: ${s.slice(0, 20)}`);
    else if (Math.abs(v) > limit) err(field, `must be within -${limit}..${limit}`);
    return v;
  };
  const lon = coord('lon', 180);
  const lat = coord('lat', 90);
  if (errors.length) return { errors };
  return { value: { code, district, road, number, building, unit, lon, lat }, errors };
}

export type CsvRow = AddressInput & { line: number; text: string };
export interface CsvResult {
  rows: CsvRow[];
  errors: CsvError[];
  errorCount: number;
}

/** Parses and validates a whole CSV file; duplicate codes within the file are errors too. */
export function readAddressCsv(text: string): CsvResult {
  return runAtOnce(readAddressCsvSteps(text, Infinity));
}

/** readAddressCsv as steps that pause after every `slice` records (run them with runInSlices). */
export function* readAddressCsvSteps(text: string, slice: number): Generator<void, CsvResult> {
  const errors = new CsvErrors();
  const rows: CsvRow[] = [];
  const records = csvRecords(text, errors);
  const result = () => ({ rows, errors: errors.list, errorCount: errors.count });
  const first = records.next();
  const header = first.done ? undefined : first.value;
  if (!header) {
    errors.push({ line: 1, field: 'header', message: `empty file; the first line must be ${CSV_COLUMNS.join(',')}` });
    return result();
  }
  const names = header.fields.map((f) => f.trim().toLowerCase());
  if (names.join(',') !== CSV_COLUMNS.join(',')) {
    errors.push({ line: header.line, field: 'header', message: `expected ${CSV_COLUMNS.join(',')}, got ${names.join(',').slice(0, 200)}` });
    return result();
  }
  const seen = new Map<string, number>();
  let count = 0;
  for (const r of records) {
    if (++count % slice === 0) yield;
    if (r.fields.length !== CSV_COLUMNS.length) {
      errors.push({ line: r.line, field: 'row', message: `expected ${CSV_COLUMNS.length} fields, got ${r.fields.length}` });
      continue;
    }
    const raw = Object.fromEntries(CSV_COLUMNS.map((c, k) => [c, r.fields[k]])) as Record<(typeof CSV_COLUMNS)[number], string>;
    const v = validateAddress(raw, r.line);
    errors.push(...v.errors);
    if (!v.value) continue;
    const first = seen.get(v.value.code);
    if (first !== undefined) {
      errors.push({ line: r.line, field: 'code', message: `duplicate of line ${first}` });
      continue;
    }
    seen.set(v.value.code, r.line);
    rows.push({ ...v.value, line: r.line, text: composeText(v.value) });
  }
  if (!count) errors.push({ line: header.line, field: 'row', message: 'no addresses after the header' });
  return result();
}

/** Quotes a value for CSV output when it needs it. */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
