/** What text PostgreSQL can store: its `text` and `jsonb` refuse NUL and lone UTF-16 surrogates. */

// eslint-disable-next-line no-control-regex -- NUL is exactly what we look for
const UNSTORABLE_SOURCE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\u0000/.source;

/** Matches the first unstorable character (a lone surrogate or NUL). */
export const UNSTORABLE_CHAR = new RegExp(UNSTORABLE_SOURCE);

const UNSTORABLE_ALL = new RegExp(UNSTORABLE_SOURCE, 'g');

/** The text with every unstorable character replaced by U+FFFD. */
export function storableText(s: string): string {
  // Nearly every text is storable as it is: one test, no copy (replace() resets the global regex's lastIndex).
  return UNSTORABLE_CHAR.test(s) ? s.replace(UNSTORABLE_ALL, '\ufffd') : s;
}
