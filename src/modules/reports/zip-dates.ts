/**
 * Sets every entry of a zip file (the .docx) to one modification time, in place: the zip writer stamps
 * entries with the current time, which would make two builds of the same report differ. The DOS date
 * fields sit at fixed offsets of each local header and central directory record.
 */

function dosDateTime(at: Date): { time: number; date: number } {
  // UTC parts: the same instant gives the same fields whatever the server's zone; DOS dates start in 1980.
  const y = Math.max(1980, at.getUTCFullYear());
  return { time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1), date: ((y - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate() };
}

export function pinZipDates(zip: Buffer, at: Date): Buffer {
  const out = Buffer.from(zip);
  const { time, date } = dosDateTime(at);
  // End of central directory: the last record with its signature (a comment may follow it).
  let eocd = -1;
  for (let i = out.length - 22; i >= 0; i--)
    if (out.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new Error('not a zip file');
  const entries = out.readUInt16LE(eocd + 10);
  let p = out.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (out.readUInt32LE(p) !== 0x02014b50) throw new Error('zip central directory damaged');
    out.writeUInt16LE(time, p + 12);
    out.writeUInt16LE(date, p + 14);
    const local = out.readUInt32LE(p + 42);
    if (out.readUInt32LE(local) !== 0x04034b50) throw new Error('zip local header damaged');
    out.writeUInt16LE(time, local + 10);
    out.writeUInt16LE(date, local + 12);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}
