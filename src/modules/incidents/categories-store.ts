/** The category tree in the database, cached in memory (it changes rarely, it is read on every intake). */
import { asc, count, eq, gte } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { categories, incidents } from './schema.js';
import { flattenTree, type Priority } from './domain/categories.js';
import { commonness, synonymsOf } from './domain/category-search.js';

/** How far back and how often the calls per category are counted (the search ranks common ones first). */
const USAGE_DAYS = 90;
const USAGE_TTL_MS = 10 * 60_000;
import { isPriority } from './domain/priority.js';

export type CategoryRow = typeof categories.$inferSelect;

/** What the priority suggestion needs of a stored category. */
export function storedCategory(row: CategoryRow): { name: string; nameEn: string; leaf: boolean; defaultPriority: Priority | null } {
  return { name: row.name, nameEn: row.nameEn, leaf: row.leaf, defaultPriority: isPriority(row.defaultPriority) ? row.defaultPriority : null };
}

export class CategoryStore {
  private rows: Map<string, CategoryRow> | null = null;
  private usage: { at: number; byCode: Map<string, number> } | null = null;
  constructor(private readonly db: Db) {}

  /** Commonness 0–100 per category from the calls of the last 90 days (recounted every 10 minutes). */
  async commonness(): Promise<Map<string, number>> {
    if (!this.usage || Date.now() - this.usage.at > USAGE_TTL_MS) {
      const since = new Date(Date.now() - USAGE_DAYS * 86_400_000);
      const rows = await this.db.select({ code: incidents.categoryCode, n: count() }).from(incidents).where(gte(incidents.recordedAt, since)).groupBy(incidents.categoryCode);
      this.usage = { at: Date.now(), byCode: commonness(new Map(rows.map((r) => [r.code, Number(r.n)]))) };
    }
    return this.usage.byCode;
  }

  /** Seeds the built-in taxonomy into an empty table. */
  async ensureSeeded() {
    const [any] = await this.db.select({ code: categories.code }).from(categories).limit(1);
    if (any) return;
    const rows = flattenTree().map((r) => ({
      code: r.code,
      parentCode: r.parentCode ?? null,
      level: r.level,
      name: r.name,
      nameEn: r.nameEn,
      leaf: r.leaf,
      defaultPriority: r.defaultPriority ?? null,
      capabilities: r.capabilities ?? [],
      transferTo: r.transferTo ?? null,
      keywords: r.keywords ?? [],
      sortOrder: r.sortOrder,
    }));
    for (let i = 0; i < rows.length; i += 200) await this.db.insert(categories).values(rows.slice(i, i + 200)).onConflictDoNothing();
    this.rows = null;
  }

  /** Drops the cached tree: the next read takes it from the database (another instance changed it). */
  forget() {
    this.rows = null;
  }

  async all(): Promise<Map<string, CategoryRow>> {
    if (!this.rows) {
      const list = await this.db.select().from(categories).orderBy(asc(categories.sortOrder), asc(categories.code));
      this.rows = new Map(list.map((r) => [r.code, r]));
    }
    return this.rows;
  }

  async get(code: string): Promise<CategoryRow | undefined> {
    return (await this.all()).get(code);
  }

  /** The level-1 ancestor's code. */
  async family(code: string): Promise<string> {
    const all = await this.all();
    let c = all.get(code);
    while (c?.parentCode) c = all.get(c.parentCode);
    return c?.code ?? code.slice(0, 2);
  }

  /** Names from the root, for display. */
  async path(code: string): Promise<string[]> {
    const all = await this.all();
    const names: string[] = [];
    for (let c = all.get(code); c; c = c.parentCode ? all.get(c.parentCode) : undefined) names.unshift(c.name);
    return names;
  }

  /** The active tree, each node with the synonyms of its keywords and its commonness (for the intake search). */
  async tree() {
    type Node = CategoryRow & { synonyms: string[]; commonness: number; children: Node[] };
    const all = [...(await this.all()).values()].filter((r) => r.active);
    const used = await this.commonness();
    const nodes = new Map<string, Node>(all.map((r) => [r.code, { ...r, synonyms: synonymsOf(r.name, r.keywords ?? []), commonness: used.get(r.code) ?? 0, children: [] }]));
    const roots: Node[] = [];
    for (const n of nodes.values()) (n.parentCode && nodes.get(n.parentCode) ? nodes.get(n.parentCode)!.children : roots).push(n);
    return roots;
  }

  async update(code: string, patch: Partial<Pick<CategoryRow, 'name' | 'nameEn' | 'defaultPriority' | 'capabilities' | 'transferTo' | 'keywords' | 'active' | 'sortOrder'>>) {
    const [r] = await this.db.update(categories).set(patch).where(eq(categories.code, code)).returning();
    this.rows = null;
    return r;
  }

  /** Adds a leaf; its parent stops being a leaf (incidents need leaf categories). */
  async insert(row: typeof categories.$inferInsert) {
    const [r] = await this.db.insert(categories).values(row).returning();
    if (row.parentCode) await this.db.update(categories).set({ leaf: false }).where(eq(categories.code, row.parentCode));
    this.rows = null;
    return r;
  }
}
