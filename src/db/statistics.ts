/**
 * Planner statistics for tables that grow fast (incidents). PostgreSQL's autovacuum normally keeps
 * them; PGlite has no autovacuum, and a server may run with it switched off. Without statistics the
 * planner takes a never-analysed table for ten pages and may pick a plan (a worse index, a sequential
 * scan) that gets slower with every row added. So: when nobody else does, ANALYZE a table in the
 * background once enough rows were written since the last time (half its size, at least 2,000).
 */
import { isEmbedded, rawQuery, type Db } from './client.js';

const MIN_WRITES = 2_000;
const FRACTION = 0.5;

export class StatisticsKeeper {
  private written = 0;
  private threshold = MIN_WRITES;
  private running = false;
  /** null until known: whether the database analyses by itself (autovacuum on, PostgreSQL only). */
  private autovacuum: Promise<boolean> | null = null;

  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly log: (err: unknown) => void = () => {},
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new RangeError(`bad table name: ${table}`);
  }

  /** Count rows written; may start an ANALYZE in the background (never throws, never waits). */
  noteWrites(n: number): void {
    this.written += n;
    if (this.written < this.threshold || this.running) return;
    this.running = true;
    void this.analyze()
      .catch((err) => this.log(err))
      .finally(() => (this.running = false));
  }

  private async analyze(): Promise<void> {
    // PGlite (one embedded connection, no pool) never runs autovacuum, whatever its setting says.
    this.autovacuum ??= isEmbedded(this.db)
      ? Promise.resolve(false)
      : rawQuery<{ on: boolean }>(this.db, "select current_setting('autovacuum') = 'on' as on")
          .then((r) => Boolean(r[0]?.on))
          .catch(() => false);
    if (await this.autovacuum) {
      this.threshold = Number.POSITIVE_INFINITY; // PostgreSQL's own autovacuum looks after it
      return;
    }
    this.written = 0;
    await rawQuery(this.db, `analyze ${this.table}`);
    const [r] = await rawQuery<{ rows: number | string }>(this.db, 'select reltuples as rows from pg_class where relname = $1', [this.table]);
    this.threshold = Math.max(MIN_WRITES, Math.round(Number(r?.rows ?? 0) * FRACTION));
  }
}
