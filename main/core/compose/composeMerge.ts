/**
 * Compose's override-file merge (`-f a -f b`), for where Compose v2 does not merge: without the plugin, or when it
 * accepts the files only interpolated (composeValidation.ts). The rules Compose documents for a service, simplified:
 * mappings merged key by key; `command`, `entrypoint` and a health check's `test` replaced; `environment` and
 * `labels` merged by name (list or map form); a service's `volumes` one per container path; other lists joined
 * without repeats; `!reset` drops what earlier files set and `!override` replaces it.
 */
import { isList, isMap } from './yamlValues';

/** `!reset` as parsed (composeSource.ts turns the tagged node into this). */
export const RESET = Symbol('!reset');

/** `!override` as parsed: its value replaces the earlier one instead of merging with it. */
export class Override {
  constructor(readonly value: unknown) {}
}

/** A value with its merge tags settled: `!reset` keys gone, `!override` values as written. */
export function settled(v: unknown): unknown {
  if (v instanceof Override) return settled(v.value);
  if (isList(v)) return v.filter((x) => x !== RESET).map(settled);
  if (isMap(v))
    return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (x === RESET ? [] : [[k, settled(x)]])));
  return v;
}

const REPLACED = new Set(['command', 'entrypoint', 'test']);
const BY_NAME = new Set(['environment', 'labels', 'annotations']);

/** `["A=1", "B"]` or `{A: 1, B: null}` as entries by name. */
function byName(v: unknown): [string, unknown][] {
  if (isMap(v)) return Object.entries(v);
  if (!isList(v)) return [];
  return v.map((x) => {
    const s = String(x);
    const eq = s.indexOf('=');
    return eq < 0 ? [s, null] : [s.slice(0, eq), s.slice(eq + 1)];
  });
}

/** Both lists stay a list (`A=1`); otherwise a mapping, as Compose's model has it. */
function mergeByName(a: unknown, b: unknown): unknown {
  const merged = new Map(byName(a));
  for (const [k, v] of byName(b)) {
    if (v === RESET) merged.delete(k);
    else merged.set(k, settled(v));
  }
  if (isList(a) && isList(b))
    return [...merged].map(([k, v]) => (v === null ? k : `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`));
  return Object.fromEntries(merged);
}

/** A service volume's container path: `src:/data:ro` → `/data`, `/data` → `/data`, `{target: /data}` → `/data`. */
function volumeTarget(v: unknown): unknown {
  if (isMap(v)) return v.target;
  const parts = String(v).split(':');
  return parts.length === 1 ? parts[0] : parts[1];
}

/** `a` overridden by `b`; `key` is the key both sit under (the rules depend on it). */
export function mergeCompose(a: unknown, b: unknown, key?: string): unknown {
  if (isMap(a) && isMap(b) && !BY_NAME.has(key ?? '')) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) {
      if (v === RESET) delete out[k];
      else out[k] = k in out && !(v instanceof Override) ? mergeCompose(out[k], v, k) : settled(v);
    }
    return out;
  }
  if (key && REPLACED.has(key)) return settled(b);
  if (key && BY_NAME.has(key)) return mergeByName(a, b);
  if (key === 'volumes' && isList(a) && isList(b)) {
    const later = new Set(b.map(volumeTarget));
    return [...a.filter((x) => !later.has(volumeTarget(x))), ...b].map(settled);
  }
  if (isList(a) && isList(b))
    return [...a, ...b.filter((x) => !a.some((y) => JSON.stringify(y) === JSON.stringify(x)))].map(settled);
  return settled(b);
}
