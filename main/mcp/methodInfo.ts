import type { ApiMethod } from '../api/table';

/**
 * What `axi mcp` needs beyond the API table to offer a method as a tool: a description, a name for
 * each positional argument (`*` spreads an options object into the tool's arguments), and its reach:
 * - `instance`: acts on one instance, its first argument; a scoped server allows only its own.
 * - `read`: reads across instances (a scoped server filters listings to its repository).
 * - `global`: acts on many instances or on the machine's settings: only with `axi mcp --all`.
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
}

export const METHOD_INFO: Record<ApiMethod, MethodInfo> = {
  getOverview: {
    description: 'Every instance in scope with its status, ports, URLs, folder and branch, plus port conflicts.',
    params: [],
    reach: 'read',
    readOnly: true,
  },
  registerFolder: {
    description: 'Register a folder (a checkout or worktree) as an instance: allocate ports, write its files.',
    params: ['*'],
    reach: 'global',
  },
  reassignPorts: { description: 'Allocate the instance new free ports.', params: ['name'], reach: 'instance' },
  setTunnel: {
    description:
      'For an instance on an SSH engine: keep (keep: true) or stop keeping an SSH tunnel that brings its ports to 127.0.0.1 while it runs (desktop app and axi serve).',
    params: ['name', '*'],
    reach: 'instance',
  },
  removeInstance: {
    description: 'Forget the registration (files and volumes kept); down: first remove its containers.',
    params: ['name', '*'],
    reach: 'instance',
    destructive: true,
  },
  startInstance: {
    description: "Start the instance's containers and wait until they are healthy.",
    params: ['name'],
    reach: 'instance',
  },
  stopInstance: { description: "Stop the instance's containers (data kept).", params: ['name'], reach: 'instance' },
  resetInstance: {
    description:
      "Fresh data: snapshot the volumes (snapshot: true), then delete and recreate them. confirm: the instance's name.",
    params: ['name', '*'],
    reach: 'instance',
    destructive: true,
  },
  restoreInstance: {
    description:
      "Put a snapshot's volumes back (snapshot null: the latest); the data it replaces is kept as a snapshot first. confirm: the instance's name.",
    params: ['name', 'snapshot', '*'],
    reach: 'instance',
    destructive: true,
  },
  listSnapshots: {
    description: "The instance's volume snapshots.",
    params: ['name'],
    reach: 'instance',
    readOnly: true,
  },
  deleteSnapshot: {
    description: "Delete one snapshot of the instance for good. confirm: the instance's name.",
    params: ['name', 'snapshot', '*'],
    reach: 'instance',
    destructive: true,
  },
  startAll: { description: 'Start every registered instance.', params: [], reach: 'global' },
  stopAll: { description: 'Stop every running instance.', params: [], reach: 'global' },
  checkConflicts: {
    description: 'Re-check every registered port against the registry and the host.',
    params: [],
    reach: 'read',
    readOnly: true,
  },
  followLogs: { description: '', params: ['name', 'service'], reach: 'window' },
  stopLogs: { description: '', params: ['stream'], reach: 'window' },
  revealFolder: { description: '', params: ['name'], reach: 'window' },
  pickFolders: { description: '', params: [], reach: 'window' },
  discoverWorktrees: {
    description: "A repository's git worktrees, registered or not, with their (would-be) ports.",
    params: ['dir'],
    reach: 'read',
    readOnly: true,
  },
  getSettings: { description: "axi's settings.", params: [], reach: 'read', readOnly: true },
  updateSettings: {
    description: "Change axi's settings (an object of the keys to change).",
    params: ['settings'],
    reach: 'global',
  },
  cloneDataPlan: {
    description: 'What clone_data would copy: the candidate sources and the volumes matched (nothing is changed).',
    params: ['name', '*'],
    reach: 'instance',
    readOnly: true,
  },
  cloneData: {
    description:
      "Replace the instance's data with source's (an instance, or main: its repository's main checkout), after a snapshot; each volume is verified (copied: entries and bytes), or the instance is put back from that snapshot. start: true starts it and answers once it is healthy. confirm: the instance's name.",
    params: ['name', '*'],
    reach: 'instance',
    destructive: true,
  },
  worktreePolicy: {
    description: "The worktrees: policy of the instance's repository.",
    params: ['name'],
    reach: 'instance',
    readOnly: true,
  },
  setWorktreePolicy: {
    description: "Write the worktrees: policy into the instance's repository config.",
    params: ['name', 'policy'],
    reach: 'instance',
  },
  getStats: { description: 'CPU, memory and disk per instance.', params: [], reach: 'read', readOnly: true },
  planCleanup: {
    description: 'Dry run of a cleanup that reclaims disk (gone registrations, orphaned containers and volumes).',
    params: [],
    reach: 'global',
    readOnly: true,
  },
  applyCleanup: {
    description: 'Remove exactly what plan_cleanup listed under token.',
    params: ['*'],
    reach: 'global',
    destructive: true,
  },
};

/** `startInstance` → `start_instance`: MCP tools' usual spelling. */
export function toolName(method: string): string {
  return method.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
