import os from 'node:os';
import path from 'node:path';
import { AxiError } from './errors';

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
 * A folder typed into the window: `~` is the user's home; a relative path is refused, since it would
 * be read against the folder `axi serve` happens to run in, not one the user meant.
 */
export function typedFolder(dir: string, home: string): string {
  const t = dir.trim();
  if (t === '~' || t.startsWith('~/')) return path.join(home, t.slice(1));
  if (!path.isAbsolute(t))
    throw new AxiError(
      'BAD_INPUT',
      `${JSON.stringify(t)} is a relative path: type the full path, or one that starts with ~/`,
    );
  return t;
}
