import { interpolate } from './composePorts';
import { isMap, isList, scalarText } from './yamlValues';

/**
 * `localhost:8000`, `127.0.0.1:8000`, `[::1]:8000` in a value: an address a program on this machine (or a browser)
 * dials. `[` is no word character, so `\b` stays off that one (after `//` it would never match).
 */
const LOCAL_ADDRESS = /(\blocalhost|\b127\.0\.0\.1|\[::1\])(:)(\d{1,5})\b/g;

/** A value with each local address on a moved port given the instance's port; undefined when nothing moved. */
export function movedAddresses(value: string, moved: ReadonlyMap<number, number>): string | undefined {
  let changed = false;
  const out = value.replace(LOCAL_ADDRESS, (m, host: string, colon: string, port: string) => {
    const to = moved.get(Number(port));
    if (to === undefined || to === Number(port)) return m;
    changed = true;
    return `${host}${colon}${to}`;
  });
  return changed ? out : undefined;
}

/** `KEY=VALUE` lines as Compose reads an env file (comments, `export`, quotes). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

export interface EnvRewrite {
  /** Host port moves: the file's published port → the instance's. */
  moved: ReadonlyMap<number, number>;
  /** For `${VAR}` in values: the environment Compose interpolates with. */
  env: Record<string, string | undefined>;
  /** The variables of each env file the service reads, by the path as written in the document. */
  envFiles: ReadonlyMap<string, Record<string, string>>;
}

/** `$` written literally in a Compose value. */
const literal = (s: string) => s.replace(/\$/g, '$$$$');

/**
 * A worktree's service environment with `localhost:<moved port>` made the instance's port: in its
 * own values (a `${VAR}` reference is replaced by the rewritten value, only when it changes) and,
 * as overriding entries, in the env files it reads. Returns what changed, as `VAR a → b`.
 */
export function rewriteEnvironment(def: Record<string, unknown>, r: EnvRewrite): string[] {
  const entries = new Map<string, string | null>();
  if (isList(def.environment)) {
    for (const e of def.environment.map(String)) {
      const i = e.indexOf('=');
      entries.set(i < 0 ? e : e.slice(0, i), i < 0 ? null : e.slice(i + 1));
    }
  } else if (isMap(def.environment)) {
    for (const [k, v] of Object.entries(def.environment))
      entries.set(k, v === null || v === undefined ? null : scalarText(v));
  }
  const changes: string[] = [];
  const note = (name: string, from: string, to: string) => {
    const a = [...from.matchAll(LOCAL_ADDRESS)].map((m) => m[0]);
    const b = [...to.matchAll(LOCAL_ADDRESS)].map((m) => m[0]);
    changes.push(`${name} ${a.filter((x, i) => x !== b[i]).join(', ')} → ${b.filter((x, i) => x !== a[i]).join(', ')}`);
  };
  let touched = false;
  for (const [name, raw] of entries) {
    if (raw === null) continue;
    let value: string;
    try {
      value = raw.includes('$') ? interpolate(raw, r.env) : raw;
    } catch {
      continue; // a required variable Compose will ask for itself
    }
    const to = movedAddresses(value, r.moved);
    if (to === undefined) continue;
    entries.set(name, literal(to));
    note(name, value, to);
    touched = true;
  }
  const files = isList(def.env_file) ? def.env_file : typeof def.env_file === 'string' ? [def.env_file] : [];
  for (const f of files) {
    const vars = r.envFiles.get(typeof f === 'string' ? f : isMap(f) ? String(f.path) : '');
    for (const [name, value] of Object.entries(vars ?? {})) {
      const to = movedAddresses(value, r.moved);
      if (to === undefined || entries.has(name)) continue;
      entries.set(name, literal(to));
      note(name, value, to);
      touched = true;
    }
  }
  if (touched) def.environment = Object.fromEntries(entries);
  return changes;
}
