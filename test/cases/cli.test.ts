import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { explainCase, registerClocksCommand } from '../../src/modules/cases/cli.js';

const H = 3_600_000;
const run = promisify(execFile);

describe.each(testDrivers())('shouwang clocks explain on %s', (driver) => {
  let t: TestApp;
  let chief: Record<string, string>;
  let number = '';
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    chief = await t.login('chief');
    const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: chief, payload: payload as object });
    const ago = (h: number) => new Date(Date.now() - h * H).toISOString();
    const c = (await post('/cases', { kind: 'criminal', title: '故意伤害案', acceptedAt: ago(80) })).json();
    number = c.number;
    for (const step of [
      { type: 'filed', at: ago(79) },
      { type: 'detention', at: ago(60), subject: '张三' },
      { type: 'questioning_started', at: ago(50), subject: '张三' },
      { type: 'extension', at: ago(40), rule: 'arrest_request', extension: 'special', approver: '分局局长 刘军', amount: 2, subject: '张三' },
    ]) {
      const r = await post(`/cases/${c.id}/events`, step);
      expect(r.statusCode, r.body).toBe(201);
    }
  });
  afterAll(() => t?.close());

  it('prints every clock with its arithmetic, in Chinese by default and in English', async () => {
    const zh = (await explainCase(t.database.db, number))!;
    expect(zh).toContain(number);
    expect(zh).toContain('■ 立案审查 [filing_review]');
    expect(zh).toContain('■ 提请批准逮捕 [arrest_request]（对象：张三）');
    expect(zh).toMatch(/起算：\d{4}-\d\d-\d\d \d\d:\d\d 刑事拘留/);
    expect(zh).toContain('期间开始的日');
    expect(zh).toMatch(/延长（特殊情况）：延长 2日，分局局长 刘军 批准/);
    expect(zh).toMatch(/届满：\d{4}-\d\d-\d\d 23:59/);
    expect(zh).toContain('依据: 《刑事诉讼法》第九十一条');
    expect(zh).toMatch(/当前: (进行中|已超期)/);
    const en = (await explainCase(t.database.db, number, 'en'))!;
    expect(en).toContain('■ Request for arrest approval [arrest_request] (subject: 张三)');
    expect(en).toContain('Extension (Special circumstances): +2 days, approved by 分局局长 刘军');
    expect(en).toMatch(/Done: .* Questioning started/);
    expect(await explainCase(t.database.db, 'AJ-NONE')).toBeNull();
  });

  it('is the `clocks explain` command: --case, --lang; an unknown number is an error', async () => {
    const out: string[] = [];
    const errors: unknown[] = [];
    const program = new Command().exitOverride();
    registerClocksCommand(program, (fn) => fn(t.database.db), (s) => void out.push(s), (e) => void errors.push(e));
    await program.parseAsync(['clocks', 'explain', '--case', number, '--lang', 'en'], { from: 'user' });
    expect(out.join('')).toContain('[detention_interrogation]');
    await program.parseAsync(['clocks', 'explain', '--case', 'AJ-NONE'], { from: 'user' });
    expect(String(errors[0])).toContain('没有编号为 AJ-NONE 的案件');
  });

  it.runIf(driver === 'postgres')('runs as bin/shouwang.mjs against DATABASE_URL', async () => {
    const { stdout } = await run(process.execPath, ['bin/shouwang.mjs', 'clocks', 'explain', '--case', number, '--lang', 'en'], { env: { ...process.env, DATABASE_URL: t.database.url! }, timeout: 60_000 });
    expect(stdout).toContain(number);
    expect(stdout).toContain('[arrest_request]');
    const bad = await run(process.execPath, ['bin/shouwang.mjs', 'clocks', 'explain', '--case', 'AJ-NONE'], { env: { ...process.env, DATABASE_URL: t.database.url! }, timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toContain('AJ-NONE');
  }, 90_000);
});
