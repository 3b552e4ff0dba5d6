/**
 * A fixed-size ring of sequenced events, oldest first, for resumption. Sequence numbers only increase;
 * `floor` is the highest seq the ring can no longer answer for (evicted, or before this process started
 * listening): `since(seq)` is complete exactly when seq >= floor.
 */
import type { SequencedEvent } from './types.js';

export class EventRing {
  private readonly buf: (SequencedEvent | undefined)[];
  private start = 0; // index of the oldest event
  private count = 0;
  private floorSeq: number;

  constructor(
    readonly capacity: number,
    floor = 0,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ring capacity must be a positive integer, got ${capacity}`);
    this.buf = new Array(capacity);
    this.floorSeq = floor;
  }

  get size(): number {
    return this.count;
  }

  /** Highest seq that can no longer be answered for. */
  get floor(): number {
    return this.floorSeq;
  }

  /** Seq of the newest event held, or the floor when empty. */
  get last(): number {
    return this.count ? this.at(this.count - 1).seq : this.floorSeq;
  }

  /** Appends an event; its seq must be greater than every seq held. Returns false (and ignores it) otherwise. */
  push(e: SequencedEvent): boolean {
    if (e.seq <= this.last) return false;
    if (this.count === this.capacity) {
      this.floorSeq = this.buf[this.start]!.seq;
      this.buf[this.start] = e;
      this.start = (this.start + 1) % this.capacity;
    } else {
      this.buf[(this.start + this.count) % this.capacity] = e;
      this.count++;
    }
    return true;
  }

  /** Forget everything up to and including `seq` (used when a gap cannot be filled). */
  raiseFloor(seq: number) {
    if (seq > this.floorSeq) this.floorSeq = seq;
  }

  /** Events with seq > `seq`, oldest first; `complete` is false when some of them were dropped. */
  since(seq: number): { events: SequencedEvent[]; complete: boolean } {
    const complete = seq >= this.floorSeq;
    // Binary search for the first event with seq > `seq`.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    const events: SequencedEvent[] = new Array(this.count - lo);
    for (let i = lo; i < this.count; i++) events[i - lo] = this.at(i);
    return { events, complete };
  }

  /** Seq of the oldest event held (undefined when empty). */
  oldest(): number | undefined {
    return this.count ? this.at(0).seq : undefined;
  }

  private at(i: number): SequencedEvent {
    return this.buf[(this.start + i) % this.capacity]!;
  }
}
