/**
 * An H3 cell's parent by its bits, so SQL can sum cells to a coarser resolution on a database without the
 * H3 extension (PGlite): an H3 index keeps its resolution in bits 52–55 and one 3-bit digit per
 * resolution 1–15 (digit r in bits 3·(15 − r) … +2), digits past the resolution set to 7. The parent at r
 * is the index with the resolution field r and digits r+1 … 15 set to 7 — what h3's cellToParent does
 * (checked against h3-js for random cells, test/analytics/domain/h3-parent.unit.test.ts).
 */

const RES_SHIFT = 52n;
const digitsAfter = (res: number): bigint => (1n << BigInt(3 * (15 - res))) - 1n;
const clearRes = ~(15n << RES_SHIFT);

/** The parent at `res` of a cell (as h3-js writes it: lowercase hex), in JS. */
export function cellParent(cell: string, res: number): string {
  const v = BigInt(`0x${cell}`);
  return ((v & clearRes) | (BigInt(res) << RES_SHIFT) | digitsAfter(res)).toString(16);
}

/** The same in SQL, of a text column or expression holding a cell (bigint arithmetic, any Postgres). */
export function cellParentSql(cell: string, res: number): string {
  if (!Number.isInteger(res) || res < 0 || res > 15) throw new Error(`resolution ${res}`);
  const bits = `('x' || lpad(${cell}, 16, '0'))::bit(64)::bigint`;
  return `to_hex((${bits} & (${clearRes})::bigint) | (${BigInt(res) << RES_SHIFT})::bigint | (${digitsAfter(res)})::bigint)`;
}
