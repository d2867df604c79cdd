/** A POSIX shell word for any value: single-quoted, a `'` as `'\''`. Never interpreted by the shell. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
