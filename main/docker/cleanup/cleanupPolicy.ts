import path from 'node:path';
import { instanceId } from '../../core/registry/instanceRef';
import type { InstanceRecord } from '../../core/registry/record';
import { loadRepoConfig, type WorktreePolicy } from '../../core/project/repoConfig';
import { mainWorktreePath, worktreePaths } from '../../core/worktrees/worktrees';

/** What `axi cleanup` does with a registration whose folder is gone. */
export type GoneDecision =
  /** No worktree policy: forget the registration, as cleanup always did (containers go, volumes only with --volumes). */
  | { kind: 'forget' }
  /** `worktrees.onRemove: snapshot-and-remove` or `remove`: containers, networks and volumes go (after a snapshot). */
  | { kind: 'retire'; snapshot: boolean }
  /** Reported only: `onRemove: keep`, or a folder git still lists (an unmounted disk, say). */
  | { kind: 'keep'; why: string };

/**
 * The decision for one gone registration, from its repository's policy: applied only where the repository's
 * config sets `worktrees.onRemove` itself, and only to a worktree git no longer lists. A pure function.
 */
export function goneDecision(
  policy: { onRemove: WorktreePolicy['onRemove']; declared: boolean } | undefined,
  listedByGit: boolean,
): GoneDecision {
  if (!policy?.declared) return { kind: 'forget' };
  if (listedByGit) return { kind: 'keep', why: 'folder unreachable but still a worktree of git; kept' };
  if (policy.onRemove === 'keep') return { kind: 'keep', why: 'worktree removed; kept (worktrees.onRemove: keep)' };
  return { kind: 'retire', snapshot: policy.onRemove === 'snapshot-and-remove' };
}

/**
 * The repository of a gone worktree's registration, found through a registered checkout that still exists:
 * a linked worktree's base name is its main worktree's folder name.
 */
async function repositoryPolicy(
  gone: InstanceRecord,
  present: readonly InstanceRecord[],
): Promise<{ policy: { onRemove: WorktreePolicy['onRemove']; declared: boolean }; listed: string[] } | undefined> {
  const sibling = present.find(
    (r) => gone.base !== undefined && (r.base === gone.base || path.basename(r.folder) === gone.base),
  );
  const main = sibling && (await mainWorktreePath(sibling.folder));
  if (!main) return undefined;
  const loaded = await loadRepoConfig(main);
  return {
    policy: {
      onRemove: loaded.config.worktrees.onRemove,
      declared: (loaded.worktreeKeys ?? []).includes('onRemove'),
    },
    listed: await worktreePaths(main),
  };
}

/** The decision per gone registration (by id). A repository whose config cannot be read keeps cleanup's old way. */
export async function goneDecisions(
  gone: readonly InstanceRecord[],
  present: readonly InstanceRecord[],
): Promise<Map<string, GoneDecision>> {
  const out = new Map<string, GoneDecision>();
  for (const rec of gone) {
    const repo = await repositoryPolicy(rec, present).catch(() => undefined);
    out.set(instanceId(rec), goneDecision(repo?.policy, repo?.listed.includes(rec.folder) ?? false));
  }
  return out;
}
