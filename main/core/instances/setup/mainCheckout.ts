import path from 'node:path';
import { gitOriginUrl, isGitMainWorktree, type FolderIdentity } from '../../project/identity';
import type { InstanceRecord } from '../../registry/record';

/** The identity setup uses, and the rule that made it the main checkout or an instance (said in setup's output). */
export interface CheckoutRule {
  id: FolderIdentity;
  note?: string;
}

/** The same repository: origins compared without `.git`, a trailing slash or case. */
const sameOrigin = (a: string, b: string) =>
  a
    .trim()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .toLowerCase() ===
  b
    .trim()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .toLowerCase();

/**
 * A compose project's checkout that git says is a main worktree is the main checkout, whatever its folder is
 * called (`…/docker.git` cloned into `chat-docker`): it keeps the project name and ports `docker compose up`
 * already uses there. The exception is a second separate clone of a repository whose main is registered
 * already (the seed's sibling-clone workflow): that one stays an instance.
 */
export async function gitMainCheckout(id: FolderIdentity, records: readonly InstanceRecord[]): Promise<CheckoutRule> {
  if (id.mainWorktree) return { id, note: `an instance: a linked git worktree of ${id.mainWorktree}` };
  if (id.main || id.baseSource !== 'git-origin' || !(await isGitMainWorktree(id.folder))) return { id };
  const origin = (await gitOriginUrl(id.folder)) ?? '';
  for (const r of records) {
    if (!r.main || r.folder === id.folder) continue;
    const theirs = await gitOriginUrl(r.folder);
    if (theirs && sameOrigin(theirs, origin))
      return {
        id,
        note: `an instance: a second clone of ${origin}, whose main checkout ${r.folder} is registered`,
      };
  }
  const main: FolderIdentity = { ...id, base: id.folderName, suffix: '', main: true };
  return { id: main, note: `the main checkout: git's main worktree of ${origin} (${path.basename(id.folder)})` };
}
