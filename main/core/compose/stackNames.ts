import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { isList } from './yamlValues';
import { COMPOSE_FILE } from '../project/instanceFiles';
import type { StackKind } from './stackTypes';
import type { InstanceRecord } from '../registry/record';
import { type RepoConfig } from '../project/repoConfig';

/** The instance file's header line with the same facts as `originLabels`. */
export function originHeader(rec: Pick<InstanceRecord, 'source' | 'from' | 'prefix'>): string {
  return `axi-origin: ${JSON.stringify({ source: rec.source ?? 'aegisx', from: rec.from ?? null, prefix: rec.prefix ?? null })}`;
}

/** The origin recorded in an instance file's header, if it has one. */
export async function readOrigin(
  folder: string,
): Promise<{ source: StackKind; from: string[] | null; prefix: string | null } | undefined> {
  const text = await readFile(path.join(folder, COMPOSE_FILE), 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const m = /^# axi-origin: (\{.*\})$/.exec(line);
    if (!m) continue;
    try {
      const o = JSON.parse(m[1]!) as { source?: unknown; from?: unknown; prefix?: unknown };
      if (o.source === 'aegisx' || o.source === 'template' || o.source === 'compose')
        return {
          source: o.source,
          from: isList(o.from) ? o.from.map(String) : null,
          prefix: typeof o.prefix === 'string' ? o.prefix : null,
        };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** `FOO-bar.baz` → `foobarbaz`: a prefix Docker and our namespace both accept. */
export function prefixFromBase(base: string): string {
  const p = base
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 16);
  return /^[a-z]/.test(p) ? p : `x${p}`.slice(0, 16);
}

export function portEnvName(key: string, env: RepoConfig['env']): string {
  const named = env?.[key];
  if (named) return named;
  const [service, ...rest] = key.split(':');
  const stem =
    service!
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'SERVICE';
  // `53/udp` → `53_UDP`, never a trailing `_`.
  const tail = rest
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return tail ? `${stem}_PORT_${tail}` : `${stem}_PORT`;
}

/** `.env.local` names for every port key, made unique (`_2`, `_3`, …) where two would collide. */
export function portEnvNames(keys: readonly string[], env: RepoConfig['env']): Record<string, string> {
  const used = new Set<string>();
  const out: Record<string, string> = {};
  for (const key of keys) {
    let name = portEnvName(key, env);
    for (let n = 2; used.has(name); n++) name = `${portEnvName(key, env)}_${n}`;
    used.add(name);
    out[key] = name;
  }
  return out;
}
