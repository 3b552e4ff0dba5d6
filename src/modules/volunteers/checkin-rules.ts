/** The refusals of a check-in (window, then area), shared by the ordinary write and the batched one (checkins.ts). */
import { checkinWindow } from './domain/shifts.js';
import { inFence, type PreparedFence } from './domain/geofence.js';
import { invalidField, refuse } from './errors.js';

/** Throws the check-in's refusal when `now` is outside the shift's window or `at` outside its area. */
export function assertCheckin(s: { startsAt: Date; endsAt: Date }, at: { lon: number; lat: number }, now: Date, graceMinutes: number, fence: PreparedFence): void {
  const win = checkinWindow(s, now, graceMinutes);
  if (!win.ok) {
    if (win.reason === 'too_early') throw refuse(`未到签到时间：最早 ${win.opensAt!.toISOString()} 可签到（班次开始前 ${graceMinutes} 分钟）`, `too early to check in: check-in opens at ${win.opensAt!.toISOString()} (${graceMinutes} minutes before the start)`);
    throw refuse('班次已结束，不能签到', 'the shift has ended; check-in is closed');
  }
  if (!inFence(fence, at.lon, at.lat)) {
    const where = `${at.lon.toFixed(5)}, ${at.lat.toFixed(5)}`;
    throw invalidField('lon', `位置（${where}）不在班次巡逻区域内，请到区域内再签到`, `the position (${where}) is outside the shift’s patrol area; check in from inside it`, 422);
  }
}
