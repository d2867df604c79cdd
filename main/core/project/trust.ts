import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { atomicWrite, privateHome } from '../registry/atomicWrite';
import { lockShared } from '../registry/fileLock';
import type { HostReach } from './hostReach';
import { sha256 } from './instanceFiles';
import type { WorktreePolicy } from './repoConfig';

export const TRUST_FILE = 'trust.json';

/** What the user accepted: per repository, its worktree policy's hash; per compose file, what reaches the host. */
interface TrustFile {
  policies: Record<string, string>;
  hostAccess: Record<string, string>;
}

/** The parts of a policy that act without asking: a hash of them, so a changed config asks again. */
export function policyHash(policy: WorktreePolicy): string {
  return sha256(JSON.stringify([policy.register, policy.start, policy.dataFrom]));
}

export function reachHash(items: readonly HostReach[]): string {
  return sha256(JSON.stringify(items.map((r) => [r.service, r.key, r.value]).sort()));
}

/** A repository's committed policy acts without asking only if accepted; until then it offers, starts nothing, copies nothing. */
export function effectivePolicy(policy: WorktreePolicy, accepted: boolean): WorktreePolicy {
  if (accepted || !needsAcceptance(policy)) return policy;
  return { ...policy, register: policy.register === 'auto' ? 'ask' : policy.register, start: false, dataFrom: 'none' };
}

/** Whether the policy acts on its own at all (`register: auto`, `start: true`, `dataFrom: main`). */
export function needsAcceptance(policy: WorktreePolicy): boolean {
  return policy.register === 'auto' || policy.start || policy.dataFrom === 'main';
}

/** `$AXI_HOME/trust.json`: read freely, changed under its lock through an atomic write (0600). */
export class TrustStore {
  private readonly file: string;

  constructor(private readonly home: string) {
    this.file = path.join(home, TRUST_FILE);
  }

  private async read(): Promise<TrustFile> {
    try {
      const data = JSON.parse(await readFile(this.file, 'utf8')) as Partial<TrustFile>;
      return { policies: { ...data.policies }, hostAccess: { ...data.hostAccess } };
    } catch {
      return { policies: {}, hostAccess: {} }; // none yet (or unreadable): nothing is accepted
    }
  }

  async policyAccepted(repo: string, policy: WorktreePolicy): Promise<boolean> {
    return (await this.read()).policies[repo] === policyHash(policy);
  }

  async hostAccessAccepted(file: string, items: readonly HostReach[]): Promise<boolean> {
    return items.length === 0 || (await this.read()).hostAccess[file] === reachHash(items);
  }

  async accept(change: { repo?: string; policy?: WorktreePolicy; file?: string; reach?: readonly HostReach[] }) {
    await privateHome(this.home);
    const release = await lockShared({ dir: this.home, lockPath: path.join(this.home, 'trust.lock'), what: 'trust' });
    try {
      const t = await this.read();
      if (change.repo && change.policy) t.policies[change.repo] = policyHash(change.policy);
      if (change.file && change.reach) t.hostAccess[change.file] = reachHash(change.reach);
      await atomicWrite(this.file, JSON.stringify(t, null, 2) + '\n', { private: true });
    } finally {
      await release().catch(() => undefined);
    }
  }
}
