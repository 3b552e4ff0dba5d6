/**
 * The session lookup of every request, grouped (core/batcher.ts): the sessions asked for while a lookup
 * is in flight go together in the next one, one prepared statement whatever their number (with nothing
 * in flight a lookup starts on the next turn of the event loop). Under load — hundreds of phones
 * checking in each second, each a session not yet in the cache — this is one round trip and one result
 * per batch instead of one per request. The last-seen touches (at most every 15 s per session) are
 * grouped the same way.
 */
import { Batcher } from '../../core/batcher.js';
import { rawQuery, type Db } from '../../db/client.js';

/** What a principal needs of the session, its user and unit — not the unit's polygon nor the password hash. */
export interface SessionRow {
  id: string;
  endedAt: Date | null;
  lastSeenAt: Date;
  userId: string;
  username: string;
  displayName: string;
  roles: string[];
  disabled: boolean;
  unitId: string;
  unitPath: string;
  unitKind: string;
}

interface RawSessionRow {
  id: string;
  ended_at: unknown;
  last_seen_at: unknown;
  user_id: string;
  username: string;
  display_name: string;
  roles: string[] | string;
  disabled: boolean;
  unit_id: string;
  unit_path: string;
  unit_kind: string;
}

const LOOKUP_SQL = `select s.id, s.ended_at, s.last_seen_at, u.id as user_id, u.username, u.display_name, u.roles, u.disabled, o.id as unit_id, o.path as unit_path, o.kind as unit_kind
  from json_array_elements_text($1::json) as q(id)
  join sessions s on s.id = q.id
  join users u on u.id = s.user_id
  join org_units o on o.id = u.unit_id`;

const TOUCH_SQL = `update sessions s set last_seen_at = t.at
  from json_to_recordset($1::json) as t(id text, at timestamp with time zone)
  where s.id = t.id`;

const toDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
/** A text[] as the driver gives it: an array (pg, PGlite) or, defensively, its literal `{a,b}`. */
const toArray = (v: string[] | string): string[] => (Array.isArray(v) ? v : v.replace(/^\{|\}$/g, '').split(',').filter(Boolean).map((s) => s.replace(/^"|"$/g, '')));

function fromRaw(r: RawSessionRow): SessionRow {
  return {
    id: r.id,
    endedAt: r.ended_at === null || r.ended_at === undefined ? null : toDate(r.ended_at),
    lastSeenAt: toDate(r.last_seen_at),
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    roles: toArray(r.roles),
    disabled: r.disabled,
    unitId: r.unit_id,
    unitPath: r.unit_path,
    unitKind: r.unit_kind,
  };
}

interface Batchers {
  lookup: Batcher<string, SessionRow | null>;
  touch: Batcher<{ id: string; at: Date }, void>;
}
const perDb = new WeakMap<Db, Batchers>();

function batchersOf(db: Db): Batchers {
  let b = perDb.get(db);
  if (!b) {
    b = {
      lookup: new Batcher<string, SessionRow | null>(async (ids) => {
        const unique = [...new Set(ids)];
        const rows = await rawQuery<RawSessionRow>(db, LOOKUP_SQL, [JSON.stringify(unique)], 'auth_session_lookup_v2');
        const byId = new Map(rows.map((r) => [r.id, fromRaw(r)]));
        return ids.map((id) => byId.get(id) ?? null);
      }, 1000),
      touch: new Batcher<{ id: string; at: Date }, void>(async (items) => {
        const latest = new Map<string, Date>();
        for (const t of items) if (!(latest.get(t.id)! >= t.at)) latest.set(t.id, t.at);
        await rawQuery(db, TOUCH_SQL, [JSON.stringify([...latest].map(([id, at]) => ({ id, at: at.toISOString() })))], 'auth_session_touch_v1');
        return items.map(() => undefined);
      }, 1000),
    };
    perDb.set(db, b);
  }
  return b;
}

/** The session `id` (the cookie's hash) with its user and unit, or null when there is no such session. */
export function lookupSession(db: Db, id: string): Promise<SessionRow | null> {
  return batchersOf(db).lookup.run(id);
}

/** Sets the session's last-seen time to `at`; resolves once written. */
export function touchSession(db: Db, id: string, at: Date): Promise<void> {
  return batchersOf(db).touch.run({ id, at });
}
