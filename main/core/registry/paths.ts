import os from 'node:os';
import path from 'node:path';
import { AxiError } from '../../shared/errors';

/** Where shared state lives. Everything is injected from here so tests get temporary homes. */
export interface AxiPaths {
  /** `$AXI_HOME`, default `~/.aegisx`. */
  readonly home: string;
  /** Authoritative registry. */
  readonly registryFile: string;
  /** Seed-format mirror for the team's shell scripts. */
  readonly mirrorFile: string;
  readonly snapshotsDir: string;
}

export function resolvePaths(env: NodeJS.ProcessEnv = process.env): AxiPaths {
  const home = path.resolve(env.AXI_HOME || path.join(os.homedir(), '.aegisx'));
  return {
    home,
    registryFile: path.join(home, 'instances.json'),
    mirrorFile: path.resolve(env.AXI_PORT_REGISTRY || path.join(os.homedir(), '.aegisx-port-registry')),
    snapshotsDir: path.join(home, 'snapshots'),
  };
}

/**
 * A folder typed into the window: `~` is the user's home; a `file://` URL (pasted from a file manager) is
 * its path; a relative path is refused, since it would be read against the folder `axi serve` happens to
 * run in, not one the user meant. The home folder itself and `/` are refused: no repository lives there,
 * and registering them would write instance files at the top of the user's files.
 */
export function typedFolder(dir: string, home: string): string {
  let t = dir.trim();
  if (/^file:\/\//i.test(t)) t = fileUrlPath(t);
  if (t === '~' || t.startsWith('~/')) t = path.join(home, t.slice(1));
  if (!path.isAbsolute(t))
    throw new AxiError(
      'BAD_INPUT',
      `${JSON.stringify(t)} is a relative path: type the full path, or one that starts with ~/`,
    );
  const resolved = path.resolve(t);
  if (resolved === path.resolve(home) || resolved === path.parse(resolved).root)
    throw new AxiError(
      'BAD_INPUT',
      `${resolved === path.parse(resolved).root ? 'the root folder' : 'your home folder'} is not a repository: type the repository's own folder, such as ~/src/NAME`,
    );
  return t;
}

/** `file:///home/x/my%20repo` → `/home/x/my repo`; only local files (no host other than localhost). */
function fileUrlPath(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AxiError('BAD_INPUT', `${JSON.stringify(url)} is not a file URL that can be read`);
  }
  if (u.host && u.host !== 'localhost')
    throw new AxiError('BAD_INPUT', `${JSON.stringify(url)} names another machine (${u.host}): type a local folder`);
  return decodeURIComponent(u.pathname);
}
