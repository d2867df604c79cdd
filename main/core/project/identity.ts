import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hasControlChars } from '../util/controlChars';
import { AxiError } from '../../shared/errors';
import { cksum } from '../util/cksum';

/** Who a folder is: the seed's folder-name rules, with the git origin as the base name when there is one. */
export interface FolderIdentity {
  /** Absolute, symlinks resolved. */
  readonly folder: string;
  /** Basename of the folder, or FOLDER_NAME from the environment. */
  readonly folderName: string;
  readonly base: string;
  readonly baseSource: 'worktree' | 'git-origin' | 'folder-name';
  /** For a linked git worktree: its main worktree's folder. */
  readonly mainWorktree?: string;
  /** Folder name minus `<base>-`; empty for the main checkout. */
  readonly suffix: string;
  readonly main: boolean;
}

/** Longest instance name we hand to Docker; longer ones are shortened with a hash so they stay unique. */
export const MAX_NAME_LENGTH = 40;

export async function resolveFolder(dir: string): Promise<string> {
  const abs = path.resolve(dir);
  let info;
  try {
    info = await stat(abs);
  } catch {
    throw new AxiError('BAD_INPUT', `folder does not exist: ${abs}`);
  }
  if (!info.isDirectory()) throw new AxiError('BAD_INPUT', `not a folder: ${abs}`);
  return realpath(abs);
}

/** `git remote get-url origin`, argument array only: folder names never meet a shell. */
export async function gitOriginUrl(folder: string): Promise<string | undefined> {
  const dirs = await gitDirs(folder);
  if (!dirs) return undefined; // not a repository: no origin, and no git process to learn it
  const config = await readFile(path.join(dirs.common, 'config'), 'utf8').catch(() => '');
  // Includes and URL rewrites are git's to resolve.
  if (/^\s*\[include|insteadof/im.test(config))
    return (await git(folder, ['remote', 'get-url', 'origin'])) || undefined;
  let inOrigin = false;
  for (const line of config.split('\n')) {
    const section = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line);
    if (section) inOrigin = /^remote\s+"origin"$/.test(section[1]!);
    const url = inOrigin && /^\s*url\s*=\s*(.+?)\s*$/.exec(line);
    if (url) return url[1]!.replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

/** A git command's output in `folder` (argument array); undefined when it fails or exits non-zero. */
export function git(folder: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', folder, ...args],
      { timeout: 5000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
      (err, stdout) => resolve(err ? undefined : stdout.trim()),
    );
  });
}

/**
 * Where the folder's git data lives, read from the files themselves (no git
 * process: this runs on every setup): the git dir, and the common dir that a
 * linked worktree shares with its main worktree.
 */
async function gitDirs(folder: string): Promise<{ gitDir: string; common: string; top: string } | undefined> {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git');
    const info = await stat(dotGit).catch(() => undefined);
    if (info?.isDirectory()) return { gitDir: dotGit, common: dotGit, top: dir };
    if (info?.isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(await readFile(dotGit, 'utf8').catch(() => ''));
      if (!m) return undefined;
      const gitDir = path.resolve(dir, m[1]!.trim());
      const rel = (await readFile(path.join(gitDir, 'commondir'), 'utf8').catch(() => '')).trim();
      return { gitDir, common: rel ? path.resolve(gitDir, rel) : gitDir, top: dir };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The repository's common git folder (the same for a checkout and all its worktrees); undefined outside git. */
export async function gitCommonDir(folder: string): Promise<string | undefined> {
  return (await gitDirs(folder))?.common;
}

/** The checkout (main or linked worktree) a folder is in, and its repository's common git folder; undefined outside git. */
export async function gitCheckoutOf(folder: string): Promise<{ top: string; common: string } | undefined> {
  const dirs = await gitDirs(folder);
  return dirs && { top: dirs.top, common: dirs.common };
}

/** The main worktree's folder when `folder` is a linked worktree (its git dir differs from the common one). */
export async function mainWorktreeOf(folder: string): Promise<string | undefined> {
  const dirs = await gitDirs(folder);
  if (!dirs || dirs.gitDir === dirs.common || path.basename(dirs.common) !== '.git') return undefined;
  return path.dirname(dirs.common);
}

/** `git@github.com:org/aegisx-starter.git` → `aegisx-starter`. */
export function repoNameFromUrl(url: string): string | undefined {
  const trimmed = url
    .trim()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
  const name = trimmed.split(/[/:\\]/).pop();
  return name ? name : undefined;
}

/** The seed's rule without a git origin: the first two dash-separated words. */
export function baseFromFolderName(folderName: string): string {
  return folderName.split('-').slice(0, 2).join('-');
}

export function suffixOf(folderName: string, base: string): string {
  if (folderName.toLowerCase() === base.toLowerCase()) return '';
  const prefix = `${base}-`;
  if (folderName.toLowerCase().startsWith(prefix.toLowerCase())) return folderName.slice(prefix.length);
  return folderName;
}

/**
 * A suffix made safe for Docker: lower case, accents folded (NFKD), every run
 * of characters outside [a-z0-9] becomes `_`, no leading/trailing `_`.
 */
export function instanceNameFromSuffix(suffix: string): string {
  const folded = suffix
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  let name = folded.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!name) {
    throw new AxiError(
      'BAD_NAME',
      `folder suffix ${JSON.stringify(suffix)} has no letters or digits to build a Docker name from; rename the folder or set FOLDER_NAME`,
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    const hash = cksum(suffix).toString(16).padStart(8, '0');
    name = `${name.slice(0, MAX_NAME_LENGTH - 9).replace(/_+$/, '')}_${hash}`;
  }
  return name;
}

export function validateInstanceName(name: string): string {
  if (!/^[a-z0-9](?:[a-z0-9_]*[a-z0-9])?$/.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new AxiError(
      'BAD_NAME',
      `instance name ${JSON.stringify(name)} is not usable: use 1-${MAX_NAME_LENGTH} of a-z, 0-9 and _ (not at either end)`,
    );
  }
  return name;
}

/** Folders that are never a checkout: setup would write its files into the system (as root, it could). */
const SYSTEM_FOLDERS = new Set([
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib64',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/var',
  '/home',
  '/Users',
  '/Library',
  '/System',
  '/Applications',
]);

/**
 * Folders under which nothing is a checkout: the system's own files (as root, setup could write there). By prefix,
 * so /etc/cron.d and /usr/local/bin are refused too. Temp folders stay usable: /var/tmp, and macOS's /var/folders.
 * /opt, /root and /srv themselves only: checkouts are deployed below them.
 */
const SYSTEM_TREES = [
  '/etc',
  '/usr',
  '/var',
  '/boot',
  '/proc',
  '/sys',
  '/dev',
  '/bin',
  '/sbin',
  '/run',
  '/private/etc',
  '/private/var',
];
const TEMP_TREES = ['/var/tmp', '/var/folders', '/private/var/tmp', '/private/var/folders'];

const under = (folder: string, tree: string) => folder === tree || folder.startsWith(tree + path.sep);

/** Why a folder is never registered, or undefined; one line, for the error. */
export function systemFolderReason(folder: string, home: string): string | undefined {
  if (folder === home) return 'your home folder';
  if (SYSTEM_FOLDERS.has(folder)) return 'a system folder';
  if (/^\/lib[^/]*(\/|$)/.test(folder)) return 'a system folder (libraries)';
  const tree = SYSTEM_TREES.find((t) => under(folder, t));
  if (tree && !TEMP_TREES.some((t) => under(folder, t))) return `inside the system folder ${tree}`;
  if (under(folder, home)) {
    const first = path.relative(home, folder).split(path.sep)[0] ?? '';
    if (first.startsWith('.'))
      return `inside ${path.join(home, first)}, a hidden folder of your home where settings and keys live`;
  }
  return undefined;
}

function refuseSystemFolder(folder: string): void {
  const why = systemFolderReason(folder, path.resolve(os.homedir()));
  if (why)
    throw new AxiError('BAD_INPUT', `${folder} is ${why}, not a project checkout; register the project's own folder`);
}

export async function identifyFolder(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<FolderIdentity> {
  const folder = await resolveFolder(dir);
  refuseSystemFolder(folder);
  const folderName = env.FOLDER_NAME?.trim() || path.basename(folder);
  // It reaches generated files and Docker labels: no input may become a line of its own there.
  if (hasControlChars(folderName)) {
    throw new AxiError(
      'BAD_NAME',
      `folder name ${JSON.stringify(folderName)} contains control characters (newline, tab, …); rename the folder or set FOLDER_NAME`,
    );
  }
  const [mainWorktree, origin] = await Promise.all([mainWorktreeOf(folder), gitOriginUrl(folder)]);
  const fromOrigin = origin ? repoNameFromUrl(origin) : undefined;
  // A worktree belongs to its main worktree: `shop` and its worktree `shop-feature-x` give suffix `feature-x`.
  const base = (mainWorktree && path.basename(mainWorktree)) || fromOrigin || baseFromFolderName(folderName);
  const suffix = suffixOf(folderName, base);
  return {
    folder,
    folderName,
    base,
    baseSource: mainWorktree ? 'worktree' : fromOrigin ? 'git-origin' : 'folder-name',
    ...(mainWorktree ? { mainWorktree } : {}),
    suffix,
    main: suffix === '',
  };
}

/**
 * A project's own checkout without git (`docker-jitsi-meet`): the seed's two-word rule would make it
 * `docker-jitsi` plus the suffix `meet`. For a compose project, a folder with no sibling named as its
 * base is the main checkout. (The AegisX stack keeps the seed's rule: its CI matrices rely on it.)
 */
export function standaloneMain(id: FolderIdentity): FolderIdentity {
  if (id.main || id.baseSource !== 'folder-name' || existsSync(path.join(path.dirname(id.folder), id.base))) return id;
  return { ...id, base: id.folderName, suffix: '', main: true };
}

/** True when `folder` is the top of a git repository's main worktree (its own `.git` folder; not a linked worktree). */
export async function isGitMainWorktree(folder: string): Promise<boolean> {
  const dirs = await gitDirs(folder);
  return Boolean(dirs && dirs.gitDir === dirs.common && dirs.gitDir === path.join(folder, '.git'));
}
