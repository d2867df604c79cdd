/** Narrowing for values read from YAML or JSON (Compose files, Compose's model, repository configs). */

/** A mapping (not a list, not a scalar). */
export const isMap = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** A list, with elements still unknown (`Array.isArray` alone would make them `any`). */
export const isList = (x: unknown): x is unknown[] => Array.isArray(x);

/** A scalar as Compose reads it (`8080`, `"8080"`, `true`); a mapping or list is not text and reads as ''. */
export function scalarText(x: unknown): string {
  return typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' ? String(x) : '';
}
