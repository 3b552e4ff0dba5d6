/**
 * Issue 11 #8: "not a police matter, transferred" straight from intake. The call is recorded (caller's
 * words, phone masked in lists, audit row, events, transfer) in the create's own statement, already
 * transferred: it never waits for dispatch. Idempotency-Key honoured as for every create.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { auditLog, incidents, transfers } from '../../src/db/schema.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';

const stations = demoOrganisation().filter((u) => u.kind === 'station');
const [lon, lat] = stations[0].center!;
const outage = leafCategories().find((c) => c.code.startsWith('08') && /停电|水电/.test(c.name))!;
const theft = leafCategories().find((c) => c.code.startsWith('02'))!;

describe.each(testDrivers())('transfer from intake on %s', (driver) => {
  let t: TestApp;
  let calltaker: Record<string, string>;
  let officer: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver);
    calltaker = await t.login('calltaker');
    officer = await t.login('officer');
  });
  afterAll(() => t?.close());

  const words = '楼下整条街停电两个小时了，电梯也停了';
  const body = (over: Record<string, unknown> = {}) => ({
    source: 'call110',
    categoryCode: outage.code,
    description: words,
    caller: { name: '陈女士', phone: '6612 3456' },
    address: '南湾大马路 电力箱旁',
    location: { lon, lat },
    transfer: { target: '12345', reason: '非警务：供电故障，转 12345 联系电力公司' },
    ...over,
  });
  const post = (payload: Record<string, unknown>, headers: Record<string, string> = calltaker) => t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers, payload });

  it('records the call already transferred, with its transfer, events and audit row; never in the waiting queue', async () => {
    const res = await post(body(), { ...calltaker, 'idempotency-key': 'xfer-1' });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created.status).toBe('transferred');
    expect(created.description).toBe(words);
    expect(created.address).toBe('南湾大马路 电力箱旁');
    expect(created.times.transferredAt).not.toBeNull();
    expect(created.duplicateCandidates).toEqual([]);

    const detail = (await t.app.inject({ url: `/api/v1/incidents/${created.id}`, headers: calltaker })).json();
    expect(detail.transfers).toHaveLength(1);
    expect(detail.transfers[0]).toMatchObject({ target: '12345', reason: '非警务：供电故障，转 12345 联系电力公司', status: 'sent' });
    expect(detail.events.map((e: { type: string; toStatus: string | null }) => [e.type, e.toStatus])).toEqual([['created', 'transferred']]);
    expect(detail.caller.phone).toBe('66123456'); // the call-taker's own read shows it

    // Lists show the caller masked; the waiting queue (status new) does not hold it.
    const list = (await t.app.inject({ url: '/api/v1/incidents?mine=true', headers: calltaker })).json();
    const inList = list.items.find((i: { id: string }) => i.id === created.id);
    expect(inList.caller.phone).not.toBe('66123456');
    expect(inList.caller.phone).toMatch(/\*/);
    const waiting = (await t.app.inject({ url: '/api/v1/incidents?status=new&limit=200', headers: calltaker })).json();
    expect(waiting.items.map((i: { id: string }) => i.id)).not.toContain(created.id);

    // The audit row of the create names the incident and the transfer.
    await expect
      .poll(async () => (await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'incident.create'), eq(auditLog.entityId, created.id))).orderBy(desc(auditLog.seq)))[0]?.detail)
      .toMatchObject({ transfer: '12345' });
    // The stream heard it as transferred (the dispatcher's queue takes open statuses only).
    const ev = t.events.find((e) => e.type === 'incident' && e.key === created.id);
    expect((ev?.data as { incident: { status: string } }).incident.status).toBe('transferred');
  });

  it('honours the Idempotency-Key: a retry answers the same incident, one transfer', async () => {
    const a = await post(body({ description: 'idem xfer' }), { ...calltaker, 'idempotency-key': 'xfer-2' });
    const b = await post(body({ description: 'idem xfer' }), { ...calltaker, 'idempotency-key': 'xfer-2' });
    expect(a.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(await t.database.db.select().from(incidents).where(eq(incidents.description, 'idem xfer'))).toHaveLength(1);
    expect(await t.database.db.select().from(transfers).where(eq(transfers.incidentId, a.json().id))).toHaveLength(1);
  });

  it('refuses a police category, a missing reason and a role without the transfer permission, writing nothing', async () => {
    const police = await post(body({ categoryCode: theft.code, description: 'xfer refused 1' }));
    expect(police.statusCode).toBe(400);
    expect(police.json().error).toMatchObject({ code: 'not_police_matter_required', field: 'categoryCode' });
    expect(police.json().error.message).toMatch(/非警务/);
    const en = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...calltaker, 'accept-language': 'en' }, payload: body({ categoryCode: theft.code }) });
    expect(en.json().error.message).toMatch(/non-police category/);

    const noReason = await post(body({ description: 'xfer refused 2', transfer: { target: '12345', reason: '' } }));
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('transfer.reason');
    const blank = await post(body({ description: 'xfer refused 3', transfer: { target: '12345', reason: '   ' } }));
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.field).toBe('transfer.reason');
    const badTarget = await post(body({ description: 'xfer refused 4', transfer: { target: '999', reason: 'x' } }));
    expect(badTarget.statusCode).toBe(400);
    expect(badTarget.json().error.field).toBe('transfer.target');

    const byOfficer = await post(body({ description: 'xfer refused 5' }), officer);
    expect(byOfficer.statusCode).toBe(403);
    for (const d of ['xfer refused 1', 'xfer refused 2', 'xfer refused 3', 'xfer refused 4', 'xfer refused 5']) {
      expect(await t.database.db.select().from(incidents).where(eq(incidents.description, d))).toHaveLength(0);
    }
  });

  it('records a transfer with a station only (no point) and the receiver can answer it', async () => {
    const res = await post(body({ description: 'xfer no point', location: undefined, address: '某大厦后面', stationId: stations[1].code, transfer: { target: '119', reason: '消防隐患转 119' }, categoryCode: leafCategories().find((c) => c.code.startsWith('08') && /消防/.test(c.name))!.code }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'transferred', stationId: stations[1].code, location: null });
    const [x] = await t.database.db.select().from(transfers).where(eq(transfers.incidentId, res.json().id));
    const answered = await t.app.inject({ method: 'POST', url: `/api/v1/transfers/${x.id}/answer`, headers: calltaker, payload: { answer: '119 已受理' } });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().status).toBe('answered');
  });
});
