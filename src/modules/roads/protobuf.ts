/**
 * Minimal protobuf wire-format reader: just what the OSM PBF format needs.
 * Integers beyond 32 bits are decoded into JS numbers with arithmetic (not bit
 * operators), which is exact up to 2^53 — enough for OSM ids and coordinates.
 */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

export class ProtobufError extends Error {}

export class ProtoReader {
  pos: number;
  readonly end: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    const buf = this.buf;
    let byte = buf[this.pos++];
    if (byte < 0x80) return byte;
    let result = byte & 0x7f;
    let shift = 7;
    // The first four bytes fit a 32-bit shift; beyond that use multiplication to stay exact.
    while (shift < 28) {
      if (this.pos >= this.end) throw new ProtobufError('truncated varint');
      byte = buf[this.pos++];
      result |= (byte & 0x7f) << shift;
      if (byte < 0x80) return result >>> 0;
      shift += 7;
    }
    result >>>= 0;
    let multiplier = 2 ** 28;
    for (let i = 0; i < 6; i++) {
      if (this.pos >= this.end) throw new ProtobufError('truncated varint');
      byte = buf[this.pos++];
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 128;
    }
    throw new ProtobufError('varint too long');
  }

  /** Zig-zag decoded sint32/sint64. */
  svarint(): number {
    const n = this.varint();
    return n % 2 === 1 ? -(n + 1) / 2 : n / 2;
  }

  /** Reads a field key; returns [fieldNumber, wireType]. */
  key(): [number, number] {
    const k = this.varint();
    return [Math.floor(k / 8), k & 7];
  }

  /** Start/end offsets of a length-delimited payload; advances past it. */
  bytesRange(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    const end = start + len;
    if (end > this.end) throw new ProtobufError('length-delimited field runs past its container');
    this.pos = end;
    return [start, end];
  }

  bytes(): Uint8Array {
    const [s, e] = this.bytesRange();
    return this.buf.subarray(s, e);
  }

  string(): string {
    const [s, e] = this.bytesRange();
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + s, e - s).toString('utf8');
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.pos += 8;
        return;
      case WIRE_LENGTH_DELIMITED:
        this.bytesRange();
        return;
      case WIRE_FIXED32:
        this.pos += 4;
        return;
      default:
        throw new ProtobufError(`unsupported wire type ${wireType}`);
    }
  }

  /** A sub-reader over a length-delimited field. */
  sub(): ProtoReader {
    const [s, e] = this.bytesRange();
    return new ProtoReader(this.buf, s, e);
  }

  /** Reads a packed repeated varint field (or a single unpacked value) into `out`. */
  packedVarints(wireType: number, out: number[], signed: boolean): void {
    if (wireType !== WIRE_LENGTH_DELIMITED) {
      out.push(signed ? this.svarint() : this.varint());
      return;
    }
    const [s, e] = this.bytesRange();
    const saved = this.pos;
    this.pos = s;
    const savedEnd = this.end;
    (this as { end: number }).end = e;
    while (this.pos < e) out.push(signed ? this.svarint() : this.varint());
    (this as { end: number }).end = savedEnd;
    this.pos = saved;
  }
}
