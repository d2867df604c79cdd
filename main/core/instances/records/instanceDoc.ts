import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseEnvFile } from '../../compose/composeEnvPorts';
import { publishedHostPorts } from '../../compose/composePorts';
import { portsByKey } from '../../ports/portRanges';
import { COMPOSE_FILE, ENV_FILE } from '../../project/instanceFiles';
import type { InstanceRecord } from '../../registry/record';

/** An instance file read as data, with the variables Compose fills it from (the environment, then `.env.local`). */
export interface InstanceDoc {
  doc: unknown;
  env: Record<string, string | undefined>;
}

const cache = new Map<string, { stamp: string; read: InstanceDoc | undefined }>();

/**
 * The instance's docker-compose.instance.yml as data; undefined when it is missing or not YAML. Kept while
 * neither it nor `.env.local` changes (the overview and the conflict re-check ask often).
 */
export async function readInstanceDoc(rec: Pick<InstanceRecord, 'folder'>): Promise<InstanceDoc | undefined> {
  const file = path.join(rec.folder, COMPOSE_FILE);
  const envFile = path.join(rec.folder, ENV_FILE);
  const [s, e] = await Promise.all([stat(file).catch(() => undefined), stat(envFile).catch(() => undefined)]);
  if (!s) return undefined;
  const stamp = `${s.mtimeMs} ${s.size} ${e ? `${e.mtimeMs} ${e.size}` : '-'}`;
  const hit = cache.get(file);
  if (hit?.stamp === stamp) return hit.read;
  let read: InstanceDoc | undefined;
  try {
    const { parse } = await import('yaml');
    const envLocal = parseEnvFile(await readFile(envFile, 'utf8').catch(() => ''));
    read = { doc: parse(await readFile(file, 'utf8')) as unknown, env: { ...process.env, ...envLocal } };
  } catch {
    read = undefined; // unreadable: the callers fall back to what the registration says
  }
  cache.set(file, { stamp, read });
  return read;
}

/**
 * The host ports the instance's own containers publish: those of its instance file (the one Compose starts, the
 * user's edits included); without a readable one, those the registration says its file has.
 */
export async function containerPorts(rec: InstanceRecord): Promise<ReadonlySet<number>> {
  const read = await readInstanceDoc(rec);
  try {
    if (read) return publishedHostPorts(read.doc, read.env);
  } catch {
    // a port number Compose would refuse as well: the registration's view below
  }
  return recordContainerPorts(rec);
}

/**
 * The registration's view (pure): the AegisX stack's file runs the services it lists (`web`, `api` and `admin` are
 * the developer's own dev servers on the host); a template or a project's own file keys its ports by its own
 * choice, not by service, so every port counts.
 */
export function recordContainerPorts(
  rec: Pick<InstanceRecord, 'ports' | 'spans' | 'source' | 'template' | 'services'>,
): Set<number> {
  const every = rec.source === 'compose' || Boolean(rec.template) || !rec.services;
  const ports = portsByKey(rec.ports, rec.spans).filter(([, key]) => every || rec.services!.includes(key));
  return new Set(ports.map(([p]) => p));
}
