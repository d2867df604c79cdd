import { AxiError } from '../../shared/errors';
import { describeReach, hostReach, realPathNearest, type HostReach } from '../../core/project/hostReach';
import type { InstanceRecord } from '../../core/registry/record';
import { TrustStore } from '../../core/project/trust';
import { readUserYaml } from '../../core/project/userFiles';
import { composeFileFor } from './composeRunner';

/** What the instance's compose file reaches on the host, and whether the user has accepted exactly that. */
export async function hostAccess(
  home: string,
  rec: InstanceRecord,
): Promise<{ file: string; items: HostReach[]; accepted: boolean }> {
  const file = await composeFileFor(rec.folder);
  const Y = await import('yaml');
  let doc: unknown;
  try {
    doc = Y.parse(await readUserYaml(file));
  } catch {
    doc = undefined; // Compose says what is wrong with the file when it runs it
  }
  const items = hostReach(doc, rec.folder, realPathNearest);
  return { file, items, accepted: await new TrustStore(home).hostAccessAccepted(file, items) };
}

/**
 * Before the first `up` of a compose file, and whenever what it reaches changes: refused until a person
 * confirms (the CLI's prompt or `--yes`, `axi trust`); an agent's or a follower's start names the keys.
 */
export async function assertHostAccess(home: string, rec: InstanceRecord, label: string): Promise<void> {
  const a = await hostAccess(home, rec);
  if (a.accepted) return;
  throw new AxiError(
    'BAD_INPUT',
    `${label}'s ${a.file} reaches the host (${describeReach(a.items)}); a person confirms it once with: axi up ${label} --yes`,
  );
}

export async function acceptHostAccess(home: string, file: string, items: readonly HostReach[]): Promise<void> {
  await new TrustStore(home).accept({ file, reach: items });
}
