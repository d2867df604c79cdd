import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * Which repository a checkout belongs to, for a scope (what `axi mcp` may show and act on): its common git
 * folder, believed only where git's files on both sides agree. A checkout can rewrite its own `.git` file
 * (`gitdir:` + `commondir`) to claim another repository; a linked worktree is believed only when that
 * repository's `worktrees/<id>/gitdir` points back at this checkout's `.git`, a file the checkout cannot
 * write. Anything else is a repository of its own: `folder:<path>`. Outside git: undefined.
 */
export async function verifiedRepository(folder: string): Promise<string | undefined> {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git');
    const info = await lstat(dotGit).catch(() => undefined);
    if (info?.isDirectory()) {
      // A main checkout's own .git folder; one that names another common folder is not believed.
      const redirected = await readFile(path.join(dotGit, 'commondir'), 'utf8').then(
        () => true,
        () => false,
      );
      return redirected ? `folder:${dir}` : `git:${await realpath(dotGit)}`;
    }
    if (info?.isFile()) return (await linkedCommonDir(dotGit)) ?? `folder:${dir}`;
    if (info || path.dirname(dir) === dir) return info ? `folder:${dir}` : undefined;
  }
}

/** `git:<common>` when the worktree's git dir sits in `<common>/worktrees/` and links back to `dotGit`. */
async function linkedCommonDir(dotGit: string): Promise<string | undefined> {
  try {
    const m = /^gitdir:\s*(.+)$/m.exec(await readFile(dotGit, 'utf8'));
    if (!m) return undefined;
    const gitDir = await realpath(path.resolve(path.dirname(dotGit), m[1]!.trim()));
    const common = await realpath(
      path.resolve(gitDir, (await readFile(path.join(gitDir, 'commondir'), 'utf8')).trim()),
    );
    const back = (await readFile(path.join(gitDir, 'gitdir'), 'utf8')).trim();
    const backReal = await realpath(path.resolve(gitDir, back));
    if (path.dirname(gitDir) !== path.join(common, 'worktrees')) return undefined;
    return backReal === (await realpath(dotGit)) ? `git:${common}` : undefined;
  } catch {
    return undefined; // a submodule or a separate git dir: no back link to check, so its own
  }
}
