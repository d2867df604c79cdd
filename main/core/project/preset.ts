import { AxiError } from '../../shared/errors';

/**
 * The port layout of a stack. The AegisX preset is the seed's: one slot per
 * instance, each service at `base + slot + offset`, the main checkout at the
 * bases. Kept as data so other stacks (repository config) reuse the allocator.
 */
export interface ServiceSpec {
  readonly name: string;
  readonly base: number;
  /** The main checkout's port when it is not `base` (a privileged port that worktrees move away from). */
  readonly main?: number;
  readonly offset: number;
  /** A port range's length: each slot's block starts `span` ports further (blocks of one range never overlap). */
  readonly span?: number;
  /** The protocol of its published port where it is not TCP alone (`udp`, `tcp+udp`): shown beside the port. */
  readonly protocol?: string;
  /** Whether the service keeps data in a named volume `<instance>_<service>_data`. */
  readonly volume: boolean;
}

export interface Preset {
  readonly id: string;
  /** Container-name prefix: `aegisx_<instance>_<service>`. */
  readonly prefix: string;
  /** The axi namespace (`AXI_PREFIX`) when `prefix` is a repository's own; volumes are isolated by it. */
  readonly namespace?: string;
  readonly slotCount: number;
  readonly services: readonly ServiceSpec[];
}

export type Ports = Record<string, number>;

export const AEGISX_SERVICES = ['postgres', 'redis', 'api', 'web', 'admin', 'pgadmin'] as const;

export const AEGISX_PRESET: Preset = {
  id: 'aegisx',
  prefix: 'aegisx',
  slotCount: 100,
  services: [
    { name: 'postgres', base: 5432, offset: 1, volume: true },
    { name: 'redis', base: 6379, offset: 2, volume: true },
    { name: 'api', base: 3333, offset: 1, volume: false },
    { name: 'web', base: 4200, offset: 0, volume: false },
    { name: 'admin', base: 4201, offset: 0, volume: false },
    { name: 'pgadmin', base: 5050, offset: 1, volume: false },
  ],
};

export function portsForSlot(preset: Preset, slot: number): Ports {
  const ports: Ports = {};
  for (const s of preset.services)
    ports[s.name] = s.span && s.span > 1 ? s.base + (slot + s.offset) * s.span : s.base + slot + s.offset;
  return ports;
}

export function basePorts(preset: Preset): Ports {
  const ports: Ports = {};
  for (const s of preset.services) ports[s.name] = s.main ?? s.base;
  return ports;
}

/**
 * `AXI_PREFIX` gives a separate namespace (containers `<prefix>_<instance>_<service>`,
 * projects, networks, and what cleanup considers its own): the test suites use it so
 * they never see, or clean up, a developer's real instances on the same engine.
 */
export function presetFromEnv(env: NodeJS.ProcessEnv = process.env): Preset {
  const prefix = env.AXI_PREFIX;
  if (!prefix) return AEGISX_PRESET;
  if (!/^[a-z][a-z0-9]{1,15}$/.test(prefix)) {
    throw new AxiError(
      'BAD_INPUT',
      `AXI_PREFIX ${JSON.stringify(prefix)} is not usable: 2-16 of a-z and 0-9, starting with a letter`,
    );
  }
  return { ...AEGISX_PRESET, prefix };
}
