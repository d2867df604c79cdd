import os from 'node:os';
import path from 'node:path';

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
