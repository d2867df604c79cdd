import type { WorktreePolicy } from '../project/repoConfig';
import type { WorktreeInfo } from './worktrees';

/** What following a repository's worktrees does next, decided from its worktree list and its policy. */
export type WorktreeAction =
  | { kind: 'register'; path: string; dataFromMain: boolean; start: boolean }
  | { kind: 'offer'; path: string }
  | { kind: 'retire'; path: string; name: string; snapshot: boolean }
  | { kind: 'gone'; path: string; name: string; why: string };

/**
 * The actions for one look at the worktrees. `seen` holds the paths already offered or reported, so a
 * notification is made once per worktree, not on every look. A worktree git still lists whose folder
 * is unreachable is only reported: it may be an unmounted disk, and its data must stay.
 */
export function worktreeActions(
  trees: readonly WorktreeInfo[],
  policy: WorktreePolicy,
  seen: ReadonlySet<string> = new Set(),
): WorktreeAction[] {
  const out: WorktreeAction[] = [];
  for (const w of trees) {
    if (w.state === 'unregistered' && !w.error && !w.main) {
      if (policy.register === 'auto')
        out.push({ kind: 'register', path: w.path, dataFromMain: policy.dataFrom === 'main', start: policy.start });
      else if (policy.register === 'ask' && !seen.has(w.path)) out.push({ kind: 'offer', path: w.path });
    } else if (w.state === 'gone' && w.name) {
      if (w.removed && policy.onRemove !== 'keep')
        out.push({ kind: 'retire', path: w.path, name: w.name, snapshot: policy.onRemove === 'snapshot-and-remove' });
      else if (!seen.has(w.path)) {
        out.push({
          kind: 'gone',
          path: w.path,
          name: w.name,
          why: w.removed ? 'removed with git; kept (worktrees.onRemove: keep)' : 'folder unreachable; kept',
        });
      }
    }
  }
  return out;
}
