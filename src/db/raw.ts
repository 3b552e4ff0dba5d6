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
  toDriver(v: unknown): unknown;
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
      toDriver: (v: unknown) => (v === null || v === undefined ? null : c.mapToDriverValue(v)),
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

/** A value list's column: its name in the statement, SQL type and how to get it from a row. */
export interface ValueColumn<T> {
  name: string;
  type: string;
  get(row: T): unknown;
}

/** The value-list columns of a table's own columns (schema names, types and conversions). */
export function tableValueColumns<T extends Record<string, unknown>>(table: Table, keys: (keyof T & string)[]): ValueColumn<T>[] {
  const byKey = new Map(columnsOf(table).map((c) => [c.key, c]));
  return keys.map((k) => {
    const c = byKey.get(k);
    if (!c) throw new Error(`${getTableName(table)} has no column ${k}`);
    return { name: c.name, type: c.type, get: (row: T) => c.toDriver(row[k]) };
  });
}

/**
 * `unnest($1::type[], …) as alias (col, …)`: the rows as one array parameter per column, so the
 * statement's text does not depend on how many rows there are (it can be prepared once and its plan
 * reused) and PostgreSQL parses a handful of parameters instead of thousands.
 */
export function unnestTable<T>(alias: string, cols: ValueColumn<T>[], rows: T[], params: unknown[]): string {
  const args = cols.map((c) => {
    params.push(rows.map((r) => c.get(r)));
    return `$${params.length}::${c.type}[]`;
  });
  return `unnest(${args.join(', ')}) as ${alias} (${cols.map((c) => quote(c.name)).join(', ')})`;
}

export { quote as quoteIdent };
