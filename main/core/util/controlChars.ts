/**
 * C0 and C1 controls, U+2028 and U+2029: characters that end a line for some reader (YAML, JSON-in-JS,
 * terminals), so no user input may carry them into a generated file or a label.
 */
function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

export function hasControlChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isControl(s.charCodeAt(i))) return true;
  return false;
}

/** The same text with each such character written as `\uXXXX`. */
export function escapeControlChars(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    out += isControl(code) ? `\\u${code.toString(16).padStart(4, '0')}` : s[i];
  }
  return out;
}

/**
 * What a terminal is sent: C0 and C1 controls other than newline and tab (escape sequences that retitle
 * the window, clear the screen or hide a link) written as `\xHH`, so container output and folder names
 * show as text. `--raw` output skips this.
 */
export function forTerminal(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(s)
    ? // eslint-disable-next-line no-control-regex
      s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    : s;
}
