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
