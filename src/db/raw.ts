/**
 * Hand-written SQL from the Drizzle table definitions, for hot paths: the column list and the value
 * conversions come from the schema (so they cannot drift from it), but the statement is assembled
 * once per table instead of once per call.
 */
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';

interface ColumnInfo {
  key: string;
  name: string;
  /** The SQL type, for casts where PostgreSQL cannot infer it (VALUES lists in a CTE). */
  type: string;
  fromDriver(v: unknown): unknown;
}

const columnCache = new WeakMap<Table, ColumnInfo[]>();

function columnsOf(table: Table): ColumnInfo[] {
  let cols = columnCache.get(table);
  if (!cols) {
    cols = Object.entries(getTableColumns(table)).map(([key, c]) => ({
      key,
      name: c.name,
      type: c.getSQLType(),
      fromDriver: (v: unknown) => (v === null || v === undefined ? null : c.mapFromDriverValue(v)),
    }));
    columnCache.set(table, cols);
  }
  return cols;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Turns a raw row (database column names, driver values) into the schema's row shape. */
export function mapRow<T>(table: Table, raw: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const c of columnsOf(table)) out[c.key] = c.fromDriver(raw[c.name]);
  return out as T;
}

/** `"col1", "col2", …` of a table, optionally qualified (`alias."col1"`), for SELECTs matching mapRow. */
export function selectList(table: Table, alias?: string): string {
  return columnsOf(table)
    .map((c) => (alias ? `${alias}.${quote(c.name)}` : quote(c.name)))
    .join(', ');
}

/** A column of rows sent as JSON: its name in the statement, SQL type and its JSON value in a row. */
export interface ValueColumn<T> {
  name: string;
  type: string;
  get(row: T): unknown;
}

/** Those columns for a table's own columns (schema names and types). */
export function tableValueColumns<T extends Record<string, unknown>>(table: Table, keys: (keyof T & string)[]): ValueColumn<T>[] {
  const byKey = new Map(columnsOf(table).map((c) => [c.key, c]));
  return keys.map((k) => {
    const c = byKey.get(k);
    if (!c) throw new Error(`${getTableName(table)} has no column ${k}`);
    return { name: c.name, type: c.type, get: (row: T) => row[k] ?? null };
  });
}

/**
 * Rows travel as ONE JSON parameter: `recordset()` is the SQL that reads them back
 * (`json_to_recordset($n::json) as alias (col type, …)`) and `rowsJson()` the parameter. The statement's
 * text then does not depend on how many rows there are, so it is built once and prepared once, and the
 * rows are serialised by JSON.stringify (native) instead of value by value: Dates become ISO instants,
 * jsonb columns take the object itself, text[] columns a JSON array.
 */
export function recordset<T>(alias: string, cols: ValueColumn<T>[], paramNo: number): string {
  return `json_to_recordset($${paramNo}::json) as ${alias} (${cols.map((c) => `${quote(c.name)} ${c.type}`).join(', ')})`;
}

export function rowsJson<T>(cols: ValueColumn<T>[], rows: T[]): string {
  return JSON.stringify(
    rows.map((r) => {
      const o: Record<string, unknown> = {};
      for (const c of cols) o[c.name] = c.get(r);
      return o;
    }),
  );
}

/** `"a", "b", …`: the quoted names of the columns. */
export function columnList<T>(cols: ValueColumn<T>[]): string {
  return cols.map((c) => quote(c.name)).join(', ');
}

export { quote as quoteIdent };
