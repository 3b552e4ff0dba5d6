/**
 * PGlite is a single-process database: while a server holds the data folder, a second process must
 * not open it. The server writes its pid into the folder; CLI commands check it first.
 */
import fs from 'node:fs';
import path from 'node:path';

const pidFile = (dataDir: string) => path.join(dataDir, 'server.pid');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function claimDataDir(dataDir: string) {
  const other = runningServerPid(dataDir);
  if (other && other !== process.pid) throw new Error(`another Shouwang server (pid ${other}) is using ${dataDir}; stop it first or set SHOUWANG_DATA to another folder`);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(pidFile(dataDir), String(process.pid));
  const release = () => {
    try {
      if (fs.readFileSync(pidFile(dataDir), 'utf8') === String(process.pid)) fs.unlinkSync(pidFile(dataDir));
    } catch {
      /* already gone */
    }
  };
  process.once('exit', release);
  return release;
}

export function runningServerPid(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(pidFile(dataDir), 'utf8'));
    return pid && alive(pid) ? pid : null;
  } catch {
    return null;
  }
}
