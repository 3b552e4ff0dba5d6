/**
 * CPU time of processes on this machine from /proc (Linux): what the database server spent during a bench
 * phase, beside what the Node server reports itself. Elsewhere it answers NaN.
 */
import fs from 'node:fs';
import os from 'node:os';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function statOf(pid: string): { comm: string; cpuMs: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' ');
    // After the name: state ppid … utime (14th field overall, index 11 here) stime (12).
    return { comm, cpuMs: (Number(f[11]) + Number(f[12])) * TICK_MS };
  } catch {
    return null;
  }
}

/** CPU ms of every live process whose name is `comm` (PostgreSQL's backends are all `postgres`). */
export function cpuMsOf(comm: string): number {
  if (os.platform() !== 'linux') return NaN;
  let total = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const st = statOf(pid);
    if (st && st.comm === comm) total += st.cpuMs;
  }
  return total;
}

/** CPU ms of the whole machine (all cores, busy time) since boot. */
export function machineBusyMs(): number {
  if (os.platform() !== 'linux') return NaN;
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return (line[0]! + line[1]! + line[2]! + line[5]! + line[6]! + line[7]!) * TICK_MS;
}
