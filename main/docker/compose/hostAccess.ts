import { AxiError } from '../../shared/errors';
import { describeReach, hostReach, realPathNearest, type HostReach } from '../../core/project/hostReach';
import type { InstanceRecord } from '../../core/registry/record';
import { reachHash, TrustStore } from '../../core/project/trust';
import { readUserYaml } from '../../core/project/userFiles';
import { composeFileFor } from './composeRunner';

export interface HostAccess {
  file: string;
  items: HostReach[];
  /** A hash of `items`: what a person saw and accepted, checked again when they accept. */
  hash: string;
  accepted: boolean;
}

/** What the instance's compose file reaches on the host, and whether the user has accepted exactly that. */
export async function hostAccess(home: string, rec: Pick<InstanceRecord, 'folder'>): Promise<HostAccess> {
  const file = await composeFileFor(rec.folder);
  const Y = await import('yaml');
  let doc: unknown;
  try {
    doc = Y.parse(await readUserYaml(file));
  } catch {
    doc = undefined; // Compose says what is wrong with the file when it runs it
  }
  const items = hostReach(doc, rec.folder, realPathNearest);
  const accepted = await new TrustStore(home).hostAccessAccepted(file, items);
  return { file, items, hash: reachHash(items), accepted };
}

/**
 * One start a person allowed in the window without remembering it ("Start once"): the file and the hash they
 * saw, taken by the next check of that file in this process within a minute. Kept in memory only.
 */
const once = new Map<string, { hash: string; until: number }>();

export function allowOnce(home: string, a: Pick<HostAccess, 'file' | 'hash'>): void {
  once.set(`${home}\0${a.file}`, { hash: a.hash, until: Date.now() + 60_000 });
}

function takeOnce(home: string, a: HostAccess): boolean {
  const key = `${home}\0${a.file}`;
  const grant = once.get(key);
  once.delete(key);
  return Boolean(grant && grant.hash === a.hash && grant.until > Date.now());
}

/** The refusal every front end reads: the CLI and MCP name `axi trust`, the window opens its dialog on the code. */
export function notTrusted(label: string, folder: string, a: Pick<HostAccess, 'file' | 'items'>): AxiError {
  const reason = `${label}'s ${a.file} reaches the host (${describeReach(a.items)}) and no person has accepted that yet`;
  return new AxiError('NOT_TRUSTED', `${reason}; accept it with: axi trust ${folder} (or axi up ${label} --yes)`, {
    reason,
    fix: { action: 'trust', target: folder },
  });
}

/**
 * Before the first `up` of a compose file, and whenever what it reaches changes: refused until a person
 * confirms (the CLI's prompt or `--yes`, `axi trust`, the window's dialog); an agent's or a follower's start
 * is refused, naming the keys.
 */
export async function assertHostAccess(home: string, rec: InstanceRecord, label: string): Promise<void> {
  const a = await hostAccess(home, rec);
  if (a.accepted || takeOnce(home, a)) return;
  throw notTrusted(label, rec.folder, a);
}

/** Remembered, with a hash of what it reaches: a change asks again. */
export async function acceptHostAccess(home: string, a: Pick<HostAccess, 'file' | 'items'>): Promise<void> {
  await new TrustStore(home).accept({ file: a.file, reach: a.items });
}
