/**
 * The category table is the one source of truth (issue 10): an administrator's edit of a category's
 * default priority changes the next priority suggestion and the next create; a category added through
 * the API can be used at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';

const noise = leafCategories().find((c) => c.name === '噪音扰民' && c.defaultPriority === 'P4')!;

describe.each(testDrivers())('category edits on %s', (driver) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let calltaker: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver);
    admin = await t.login('admin');
    calltaker = await t.login('calltaker');
  });
  afterAll(() => t?.close());

  const create = () => t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: noise.code, description: '楼上声音大', location: { lon: 113.5435, lat: 22.1987 } } });

  it('a new default priority is the next suggestion and the next create', async () => {
    expect(noise).toBeDefined();
    const before = await t.app.inject({ url: `/api/v1/incidents/priority-suggestion?categoryCode=${noise.code}&description=x`, headers: calltaker });
    expect(before.json().priority).toBe('P4');
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/categories/${noise.code}`, headers: admin, payload: { defaultPriority: 'P1', name: '噪音扰民（夜间）' } });
    expect(patch.statusCode).toBe(200);
    const after = await t.app.inject({ url: `/api/v1/incidents/priority-suggestion?categoryCode=${noise.code}&description=x`, headers: calltaker });
    expect(after.json().priority).toBe('P1');
    expect(after.json().reasons.join(' ')).toContain('噪音扰民（夜间）');
    expect(after.json().reasonCodes).toEqual([{ code: 'category_default', params: { category: noise.code, name: '噪音扰民（夜间）', nameEn: 'Noise nuisance', priority: 'P1' } }]);
    const created = await create();
    expect(created.statusCode).toBe(201);
    expect(created.json().priority).toBe('P1');
  });

  it('a category added through the API gets its own default priority', async () => {
    const parent = noise.code.slice(0, -2);
    const code = `${parent}99`;
    const added = await t.app.inject({ method: 'POST', url: '/api/v1/categories', headers: admin, payload: { code, parentCode: parent, name: '广场舞噪音', nameEn: 'Square-dance noise', defaultPriority: 'P2' } });
    expect(added.statusCode).toBe(201);
    const s = await t.app.inject({ url: `/api/v1/incidents/priority-suggestion?categoryCode=${code}&description=x`, headers: calltaker });
    expect(s.json().priority).toBe('P2');
  });
});
