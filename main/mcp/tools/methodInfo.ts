import type { ApiMethod } from '../../shared/api/table';
import { SHARED, type PropDoc } from './toolArgs';

/**
 * What `axi mcp` needs beyond the API table to offer a method as a tool: a description, a name for
 * each positional argument (`*` spreads an options object into the tool's arguments), and its reach:
 * - `instance`: acts on one instance, its first argument; a scoped server allows only its own.
 * - `read`: reads across instances (a scoped server filters listings to its repository).
 * - `global`: acts on or reads many instances, other repositories or the machine's settings: only
 *   with `axi mcp --all` (a checkout's agent gets conflicts in get_overview, costs in status).
 * - `window`: needs the app's window (folder picker, file manager, log streams): not a tool;
 *   the `logs` tool and the logs resources take the streams' place.
 * `Record<ApiMethod, …>`: a method added to the table does not compile until it is described here.
 */
export type Reach = 'instance' | 'read' | 'global' | 'window';

export interface MethodInfo {
  readonly description: string;
  readonly params: readonly string[];
  readonly reach: Reach;
  /** Deletes or replaces data (MCP's destructiveHint); such calls repeat the instance's name as `confirm`. */
  readonly destructive?: boolean;
  readonly readOnly?: boolean;
  /** Its arguments' descriptions, by property (the table's schemas carry none); shared ones in DEFAULT_PROPS. */
  readonly props?: Record<string, PropDoc>;
  /** `axi mcp` asks for `confirm` though the table does not (an agent removes nothing unconfirmed). */
  readonly confirm?: boolean;
}

/** Properties many tools share, described once. */
export const DEFAULT_PROPS: Record<string, PropDoc> = {
  name: SHARED.name,
  confirm: SHARED.confirm,
  verbose: SHARED.verbose,
  source: SHARED.source,
  dir: "a folder: absolute path, or relative to the server's folder",
};

const POLICY: PropDoc = {
  type: 'object',
  description: 'what happens to new and removed worktrees',
  properties: {
    register: { enum: ['auto', 'ask', 'off'], description: 'new ones' },
    start: { type: 'boolean', description: 'start new ones' },
    dataFrom: { enum: ['main', 'none'], description: "new ones get main's data" },
    onRemove: { enum: ['keep', 'snapshot-and-remove', 'remove'], description: 'their instance' },
  },
};

export const METHOD_INFO: Record<ApiMethod, MethodInfo> = {
  getOverview: {
    description: 'The instances in scope: state, health, ports, folder, branch; plus port conflicts.',
    params: [],
    reach: 'read',
    readOnly: true,
  },
  registerFolder: {
    description:
      'Register a folder (a checkout or worktree) as an instance: allocate ports, write its files. Starts nothing.',
    params: ['*'],
    reach: 'global',
    props: {
      template: "the compose template to use (default: the repository's)",
      dataFrom: '"main": then copy the main checkout\'s data into the new instance (only for a new registration)',
      reassign: 'take other free ports when the usual ones are taken',
      stack:
        '"compose": use the folder\'s own compose file (the default where it has one); "aegisx": the built-in AegisX stack',
    },
  },
  adoptFolder: {
    description:
      "Take over the stack the team's scripts (setup-env.sh, docker-compose) made for a folder: same ports, same volumes, axi's containers.",
    params: ['*'],
    reach: 'global',
    props: {},
  },
  previewFolder: { description: '', params: ['dir'], reach: 'window' },
  reassignPorts: { description: 'Allocate the instance new free ports.', params: ['name'], reach: 'instance' },
  setTunnel: {
    description: 'SSH engines: keep a tunnel of its ports to 127.0.0.1 while it runs.',
    params: ['name', '*'],
    reach: 'instance',
    props: { keep: 'false: stop keeping one' },
  },
  removeInstance: {
    description: 'Forget the registration (files, volumes kept). It must be stopped, or pass down: true.',
    params: ['name', '*'],
    reach: 'instance',
    destructive: true,
    confirm: true,
    props: { down: 'true: remove its containers first' },
  },
  startInstance: {
    description: 'Start its containers and wait until healthy. Running already: says so.',
    params: ['name'],
    reach: 'instance',
  },
  stopInstance: { description: 'Stop its containers (data kept).', params: ['name'], reach: 'instance' },
  resetInstance: {
    description: 'Fresh data: delete and recreate its volumes (snapshot: true keeps a snapshot first).',
    params: ['name', '*'],
    reach: 'instance',
    destructive: true,
    props: { snapshot: 'true: snapshot the volumes first' },
  },
  restoreInstance: {
    description: "Put a snapshot's volumes back; the data replaced is kept as a snapshot first.",
    params: ['name', 'snapshot', '*'],
    reach: 'instance',
    destructive: true,
    props: { snapshot: { ...SHARED.snapshotId, description: `${SHARED.snapshotId.description} (default)` } },
  },
  listSnapshots: { description: 'Its volume snapshots.', params: ['name'], reach: 'instance', readOnly: true },
  deleteSnapshot: {
    description: 'Delete one of its snapshots for good.',
    params: ['name', 'snapshot', '*'],
    reach: 'instance',
    destructive: true,
    props: { snapshot: SHARED.snapshotId },
  },
  startAll: { description: 'Start every registered instance.', params: [], reach: 'global' },
  stopAll: { description: 'Stop every running instance.', params: [], reach: 'global' },
  checkConflicts: {
    description: 'Re-check every registered port against the registry and the host.',
    params: [],
    reach: 'global',
    readOnly: true,
  },
  followLogs: { description: '', params: ['name', 'service'], reach: 'window' },
  stopLogs: { description: '', params: ['stream'], reach: 'window' },
  revealFolder: { description: '', params: ['name'], reach: 'window' },
  pickFolders: { description: '', params: [], reach: 'window' },
  // A person's answer to what a compose file reaches on the host: never an agent's (it is told to ask for axi trust).
  hostAccess: { description: '', params: ['name'], reach: 'window' },
  trustHostAccess: { description: '', params: ['name', '*'], reach: 'window' },
  dismissWorktreeOffer: { description: '', params: ['repository'], reach: 'window' },
  discoverWorktrees: {
    description: "A repository's git worktrees, registered or not, with their (would-be) ports.",
    params: ['dir'],
    reach: 'global',
    readOnly: true,
  },
  getSettings: { description: "axi's settings.", params: [], reach: 'global', readOnly: true },
  updateSettings: {
    description: "Change axi's settings.",
    params: ['settings'],
    reach: 'global',
    props: { settings: 'an object of the keys to change (see get_settings)' },
  },
  cloneDataPlan: {
    description: 'What clone_data would copy: sources, volumes matched. Changes nothing.',
    params: ['name', '*'],
    reach: 'instance',
    readOnly: true,
    props: { source: { ...SHARED.source, description: `${SHARED.source.description} (default main)` } },
  },
  cloneData: {
    description:
      "Replace its data with source's, after a snapshot; each volume is verified (entries, bytes) or put back. It must be stopped (stop_instance first); source may run.",
    params: ['name', '*'],
    reach: 'instance',
    destructive: true,
    props: { start: 'true: start it once verified; answers when healthy' },
  },
  worktreePolicy: {
    description: 'The worktrees: policy of its repository.',
    params: ['name'],
    reach: 'instance',
    readOnly: true,
  },
  setWorktreePolicy: {
    description: "Write the worktrees: policy into its repository's config.",
    params: ['name', 'policy'],
    // The repository's config, for all its worktrees: beyond one checkout.
    reach: 'global',
    props: { policy: POLICY },
  },
  setIdlePolicy: {
    description:
      "Write the idle: policy (idle sleep) into its repository's config: the main checkout's and the worktrees' idle times (30m, 2h, off) and notify.",
    params: ['name', 'idle'],
    reach: 'global',
    props: {
      idle: {
        type: 'object',
        description: 'when its instances sleep',
        properties: {
          main: { type: 'string', description: 'the main checkout: 30m, 2h, 45s or off' },
          worktrees: { type: 'string', description: 'the worktrees: 30m, 2h, 45s or off' },
          notify: { type: 'boolean', description: 'a notification each time one is put to sleep' },
        },
      },
    },
  },
  getStats: { description: 'CPU, memory and disk per instance.', params: [], reach: 'global', readOnly: true },
  planCleanup: {
    description: 'Dry run of a cleanup reclaiming disk (gone registrations, orphaned containers and volumes).',
    params: [],
    reach: 'global',
    readOnly: true,
  },
  applyCleanup: {
    description: 'Remove exactly what plan_cleanup listed under token.',
    params: ['*'],
    reach: 'global',
    destructive: true,
    props: {
      token: 'the token plan_cleanup returned (its unownedToken with unowned)',
      unowned: 'also delete the unowned volumes plan_cleanup listed apart (no registry label); never by default',
    },
  },
};

/** `startInstance` → `start_instance`: MCP tools' usual spelling. */
export function toolName(method: string): string {
  return method.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
