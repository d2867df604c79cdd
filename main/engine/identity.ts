import { execFile } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { AxiError } from './errors';
import { cksum } from './cksum';

/** Who a folder is: the seed's folder-name rules, with the git origin as the base name when there is one. */
export interface FolderIdentity {
  /** Absolute, symlinks resolved. */
  readonly folder: string;
  /** Basename of the folder, or FOLDER_NAME from the environment. */
  readonly folderName: string;
  readonly base: string;
  readonly baseSource: 'git-origin' | 'folder-name';
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
export function gitOriginUrl(folder: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', folder, 'remote', 'get-url', 'origin'],
      { timeout: 5000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
      (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined),
    );
  });
}

/** `git@github.com:org/aegisx-starter.git` → `aegisx-starter`. */
export function repoNameFromUrl(url: string): string | undefined {
  const trimmed = url.trim().replace(/\/+$/, '').replace(/\.git$/, '');
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
  const folded = suffix.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
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

export async function identifyFolder(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FolderIdentity> {
  const folder = await resolveFolder(dir);
  const folderName = env.FOLDER_NAME?.trim() || path.basename(folder);
  const origin = await gitOriginUrl(folder);
  const fromOrigin = origin ? repoNameFromUrl(origin) : undefined;
  const base = fromOrigin ?? baseFromFolderName(folderName);
  const suffix = suffixOf(folderName, base);
  return {
    folder,
    folderName,
    base,
    baseSource: fromOrigin ? 'git-origin' : 'folder-name',
    suffix,
    main: suffix === '',
  };
}
