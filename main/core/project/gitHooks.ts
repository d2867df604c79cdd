import { execFile } from 'node:child_process';
import { chmod, lstat, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AxiError } from '../../shared/errors';

const MARKER = '# axi: worktree hook';
const HOOK = 'post-checkout';
const CHAINED = `${HOOK}.axi-chained`;

/** A path as one shell word (single-quoted): the hook is a shell script run by git. */
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The repository's hooks folder (`core.hooksPath` when set), shared by all its worktrees. */
export function hooksDir(dir: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('git', ['-C', dir, 'rev-parse', '--git-path', 'hooks'], (err, stdout) =>
      err
        ? reject(new AxiError('BAD_INPUT', `not a git repository: ${dir}`))
        : resolve(path.resolve(dir, stdout.trim())),
    ),
  );
}

/**
 * The hook: the previous hook first (its failure is git's to see, as before), then, only after
 * `git worktree add` (git passes the null commit as the previous HEAD), axi applies the repository's
 * worktree policy. axi's own failure never fails the checkout.
 */
export function hookScript(node: string, axi: string): string {
  return [
    '#!/bin/sh',
    `${MARKER} (axi hooks install; axi hooks uninstall restores the previous one)`,
    `chained="$(dirname "$0")/${CHAINED}"`,
    'if [ -x "$chained" ]; then "$chained" "$@" || exit $?; fi',
    'case "$1" in',
    `  *[!0]*) ;;`,
    `  *) ${quote(node)} ${quote(axi)} watch --once "$PWD" || echo "axi: could not set up this worktree; run axi setup" >&2 ;;`,
    'esac',
    '',
  ].join('\n');
}

const exists = (p: string) =>
  lstat(p).then(
    () => true,
    () => false,
  );
const isOurs = async (p: string) => (await readFile(p, 'utf8').catch(() => '')).includes(MARKER);

/** Installs the hook, keeping a hook already there as the chained one. Running it again changes nothing else. */
export async function installHook(dir: string, node: string, axi: string): Promise<{ file: string; chained: boolean }> {
  const hooks = await hooksDir(dir);
  const file = path.join(hooks, HOOK);
  const chained = path.join(hooks, CHAINED);
  if ((await exists(file)) && !(await isOurs(file))) {
    if (await exists(chained))
      throw new AxiError('IN_USE', `${file} is not axi's and ${chained} already exists; move one of them first`);
    await rename(file, chained); // moves a symlink itself, never writes through it
  }
  const tmp = `${file}.axi-tmp`;
  await writeFile(tmp, hookScript(node, axi), { mode: 0o755 });
  await chmod(tmp, 0o755);
  await rename(tmp, file);
  return { file, chained: await exists(chained) };
}

/** Removes axi's hook and puts the previous one back. */
export async function uninstallHook(dir: string): Promise<{ file: string; restored: boolean; removed: boolean }> {
  const hooks = await hooksDir(dir);
  const file = path.join(hooks, HOOK);
  const chained = path.join(hooks, CHAINED);
  if (!(await isOurs(file))) return { file, restored: false, removed: false };
  await rm(file);
  const restored = await exists(chained);
  if (restored) await rename(chained, file);
  return { file, restored, removed: true };
}
