/**
 * A real server process for the crash tests: started with `shouwang start` on a port, waited for until
 * ready, killed with SIGKILL by the test, signed into over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Starts `shouwang start` with `env` on `port` and resolves once /readyz answers (2 min at most). */
export async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['bin/shouwang.mjs', 'start'], { env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  for (let i = 0; i < 480; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return proc;
    } catch {}
    if (proc.exitCode !== null) throw new Error(`server exited: ${err}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not start: ${err}`);
}

/** Resolves when the process has exited (at once if it already has). */
export function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((r) => proc.once('exit', () => r()));
}

/** Signs in over HTTP; the session cookie (`name=value`), or throws with the status. */
export async function signIn(base: string, username: string, password = 'shouwang-demo'): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`sign-in of ${username}: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}
