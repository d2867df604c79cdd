import path from 'node:path';
import { gitOriginUrl, isGitMainWorktree, suffixOf, type FolderIdentity } from '../../project/identity';
import type { InstanceRecord } from '../../registry/record';

/** The identity setup uses, and the rule that made it the main checkout or an instance (said in setup's output). */
export interface CheckoutRule {
  id: FolderIdentity;
  note?: string;
  /** An instance's main checkout, when a registration says which (a second clone's). */
  main?: InstanceRecord;
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

/** The rule for a folder the git rule leaves as the seed's folder-name rule made it. */
function namedRule(id: FolderIdentity): string {
  if (id.main)
    return `the main checkout: its folder ${id.folderName} is named as ${id.baseSource === 'git-origin' ? 'its repository' : 'its base'} ${id.base}`;
  return `an instance of ${id.base}: its folder ${id.folderName} is named ${id.base}-<name>, as the seed's sibling folders are`;
}

/**
 * A compose project's checkout that git says is a main worktree is the main checkout, whatever its folder is
 * called (`…/docker.git` cloned into `chat-docker`): it keeps the project name and ports `docker compose up`
 * already uses there. The exceptions: a second separate clone of a repository whose main is registered
 * already, and a clone named `<repository>-<feature>` (the seed's sibling-clone workflow): those stay instances.
 */
export async function gitMainCheckout(id: FolderIdentity, records: readonly InstanceRecord[]): Promise<CheckoutRule> {
  if (id.mainWorktree) return { id, note: `an instance: a linked git worktree of ${id.mainWorktree}` };
  if (id.main || id.baseSource !== 'git-origin' || id.suffix !== id.folderName) return { id, note: namedRule(id) };
  if (!(await isGitMainWorktree(id.folder))) return { id };
  const origin = (await gitOriginUrl(id.folder)) ?? '';
  for (const r of records) {
    if (!r.main || r.folder === id.folder) continue;
    const theirs = await gitOriginUrl(r.folder);
    if (theirs && sameOrigin(theirs, origin)) {
      // Named after that main checkout (`chat-docker-2` of `chat-docker`: instance `2`), as a worktree of it would be.
      const base = r.folderName || path.basename(r.folder);
      return {
        id: { ...id, base, suffix: suffixOf(id.folderName, base) },
        main: r,
        note: `an instance: a second clone of ${origin}, whose main checkout ${r.folder} is registered`,
      };
    }
  }
  const main: FolderIdentity = { ...id, base: id.folderName, suffix: '', main: true };
  return { id: main, note: `the main checkout: git's main worktree of ${origin} (${path.basename(id.folder)})` };
}
