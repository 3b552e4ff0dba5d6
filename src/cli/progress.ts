/** A one-line progress bar on stderr for long CLI work (plain lines when not a terminal). */
export function progressBar(label: string) {
  const tty = process.stderr.isTTY;
  let lastPct = -1;
  return {
    update(done: number, total: number, note = '') {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (pct === lastPct && done !== total) return;
      lastPct = pct;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${done}/${total} ${note}`;
      if (tty) process.stderr.write(`\r${line}\x1b[K`);
      else if (pct % 25 === 0 || done === total) process.stderr.write(line + '\n');
    },
    done(msg?: string) {
      if (tty) process.stderr.write('\n');
      if (msg) process.stderr.write(msg + '\n');
    },
  };
}
