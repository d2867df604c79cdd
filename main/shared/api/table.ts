/**
 * The one API table: every method the app's window may call, with its
 * argument schema (validated in main) and result type, plus the events main
 * pushes. The ipcMain binding, the preload bridge, `axi serve`'s HTTP bridge
 * and the renderer's types are all derived from it. No Node imports here: the
 * renderer compiles it too.
 */
import * as v from 'valibot';
import { AxiError } from '../errors';
import type { Settings } from '../schemas/settings';
import type { EngineState, EngineView, Health, InstanceState } from '../states';
import { WorktreePolicySchema } from '../schemas/worktreePolicySchema';
import { IdleSettingSchema } from '../schemas/idlePolicy';
import type { CleanupPlanView, CleanupResultView, StatsView } from './statsViews';
import type { HostAccessView } from './trustViews';

export type { HostAccessView, HostReachView } from './trustViews';
export type { CleanupItemView, CleanupPlanView, CleanupResultView, InstanceStatsView, StatsView } from './statsViews';

export type { EngineState, EngineView, Health, InstanceState };

export type {
  PortLinkView,
  StackPreviewView,
  ServiceView,
  InstanceView,
  RouteLinkView,
  StackView,
  TunnelView,
  WorktreeView,
  ConflictView,
  Overview,
  WorktreeOfferView,
  SetupView,
  SnapshotView,
  NotificationView,
  VolumePairView,
  CloneDataPlanView,
  WorktreePolicyView,
  CopiedVolumeView,
  CloneDataView,
  SettingsView,
} from './apiViews';
import type {
  StackPreviewView,
  InstanceView,
  WorktreeView,
  ConflictView,
  Overview,
  SetupView,
  SnapshotView,
  NotificationView,
  CloneDataPlanView,
  WorktreePolicyView,
  CloneDataView,
  SettingsView,
} from './apiViews';

/** A change to some settings; each value is checked in main (see core/settings), with an error naming key and value. */
const settingsPatch = v.custom<Partial<Omit<Settings, 'routerPort'>> & { routerPort?: number | string | null }>(
  (x) => typeof x === 'object' && x !== null && !Array.isArray(x),
  'settings must be an object of the settings to change',
);

// An instance's name (the same rule as identity's validateInstanceName: no `_` at either end), or its repo/name.
const name = v.pipe(
  v.string(),
  v.regex(/^(?:[a-z0-9][a-z0-9_-]{0,63}\/)?[a-z0-9](?:[a-z0-9_]{0,38}[a-z0-9])?$/, 'not an instance name'),
);
/** Calls that delete or replace an instance's data repeat its name, as a typed confirmation does. */
const confirmed = v.strictObject({ confirm: v.pipe(v.string(), v.maxLength(128)) });
const path = v.pipe(v.string(), v.minLength(1, 'empty path'), v.maxLength(4096));
/** Where data is copied from: an instance (name or repo/name), or `main`, the main checkout of the target's repository. */
const dataSource = v.union([v.literal('main'), name]);
const none = v.tuple([]);

export const apiTable = {
  getOverview: { args: none },
  registerFolder: {
    args: v.tuple([
      v.strictObject({
        dir: path,
        template: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/))),
        /** Then copy the main checkout's data into the new instance (`axi setup --data-from main`). */
        dataFrom: v.optional(v.literal('main')),
        /** Take other free ports when the usual ones are taken (`axi setup --reassign`): the add field's retry. */
        reassign: v.optional(v.boolean()),
        /** A folder with its own compose file: use it (`--from`), or the AegisX stack (`--template aegisx`). */
        stack: v.optional(v.picklist(['compose', 'aegisx'])),
      }),
    ]),
  },
  /** Takes over the stack the team's scripts made for the folder (`axi adopt`): its ports and volumes kept. */
  adoptFolder: { args: v.tuple([v.strictObject({ dir: path })]) },
  /** Which stack registering the folder will use (its compose file or the AegisX stack), before it is registered. */
  previewFolder: { args: v.tuple([path]) },
  reassignPorts: { args: v.tuple([name]) },
  /** `down`: stop and remove its containers first (volumes kept); without it a running instance is refused. */
  removeInstance: { args: v.tuple([name, v.strictObject({ down: v.boolean() })]) },
  startInstance: { args: v.tuple([name]) },
  stopInstance: { args: v.tuple([name]) },
  resetInstance: {
    args: v.tuple([name, v.strictObject({ snapshot: v.boolean(), confirm: v.pipe(v.string(), v.maxLength(128)) })]),
  },
  restoreInstance: { args: v.tuple([name, v.nullable(v.pipe(v.string(), v.regex(/^[0-9TZ-]+$/))), confirmed]) },
  listSnapshots: { args: v.tuple([name]) },
  /** Deletes one snapshot of the instance; `confirm` repeats its name. */
  deleteSnapshot: { args: v.tuple([name, v.pipe(v.string(), v.regex(/^[0-9TZ-]+$/)), confirmed]) },
  startAll: { args: none },
  stopAll: { args: none },
  checkConflicts: { args: none },
  followLogs: { args: v.tuple([name, v.nullable(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]+$/)))]) },
  stopLogs: { args: v.tuple([v.pipe(v.string(), v.maxLength(64))]) },
  revealFolder: { args: v.tuple([name]) },
  /** Keep (or stop keeping) an SSH tunnel open for a remote instance while it runs. */
  setTunnel: { args: v.tuple([name, v.strictObject({ keep: v.boolean() })]) },
  discoverWorktrees: { args: v.tuple([path]) },
  pickFolders: { args: none },
  /** The window's "Dismiss" on a repository's offer of new worktrees (its main checkout's path). */
  dismissWorktreeOffer: { args: v.tuple([path]) },
  getSettings: { args: none },
  updateSettings: { args: v.tuple([settingsPatch]) },
  /** `source`: null picks the main checkout when registered, else the first other instance of the repository. */
  cloneDataPlan: { args: v.tuple([name, v.strictObject({ source: v.nullable(dataSource) })]) },
  /** Replaces the target's data with the source's (after a snapshot); `confirm` repeats the target's name. */
  cloneData: {
    args: v.tuple([
      name,
      v.strictObject({
        source: dataSource,
        confirm: v.pipe(v.string(), v.maxLength(128)),
        /** Start it once the copy is verified, and answer when it is healthy (as startInstance). */
        start: v.optional(v.boolean()),
      }),
    ]),
  },
  /** The policy of the instance's repository. */
  worktreePolicy: { args: v.tuple([name]) },
  /** Writes it into the repository's config: other keys and comments kept, validated, atomic. */
  setWorktreePolicy: { args: v.tuple([name, WorktreePolicySchema]) },
  /** Writes its `idle:` (idle sleep) into the repository's config, as setWorktreePolicy does. */
  setIdlePolicy: { args: v.tuple([name, IdleSettingSchema]) },
  /** What each instance costs: asked by the window only while it is visible (see statsSampler). */
  getStats: { args: none },
  /**
   * The dry run of a cleanup that reclaims disk (this registry's orphaned volumes included); nothing is removed.
   * Unowned volumes (no registry label: the scripts', hand-made) are listed apart, under their own token.
   */
  planCleanup: { args: none },
  /**
   * Removes exactly what the dry run named `token` listed; refused when that list has changed since. Unowned volumes
   * go only with `unowned: true` and the dry run's `unownedToken`, never by default.
   */
  applyCleanup: {
    args: v.tuple([
      v.strictObject({ token: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)), unowned: v.optional(v.boolean()) }),
    ]),
  },
  /** What its compose file reaches on the host, and whether a person accepted it. */
  hostAccess: { args: v.tuple([name]) },
  /**
   * A person accepts what they read (`hash`): `once` lets the next start in this process go ahead, remembering
   * nothing; `always` remembers it as `axi trust` does. The window's only: no MCP tool trusts.
   */
  trustHostAccess: {
    args: v.tuple([
      name,
      v.strictObject({
        hash: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
        remember: v.picklist(['once', 'always']),
      }),
    ]),
  },
} as const;

/** Result type per method. */
export interface ApiResults {
  getOverview: Overview;
  registerFolder: SetupView;
  adoptFolder: SetupView;
  previewFolder: StackPreviewView;
  /** `notes`: what moved (`web 4200 → 4203: 4200 was in use by nginx (pid 812)`) and what could not. */
  reassignPorts: InstanceView & { notes?: string[] };
  removeInstance: { name: string; removedContainers: boolean };
  /** `notes`: "already running: nothing to start", or what Compose warned about. */
  startInstance: InstanceView & { notes?: string[] };
  stopInstance: InstanceView;
  resetInstance: { instance: InstanceView; snapshot: SnapshotView | null };
  /** `previous`: the data the restore replaced, kept as a snapshot first. */
  restoreInstance: { instance: InstanceView; snapshot: SnapshotView; previous: SnapshotView | null };
  listSnapshots: SnapshotView[];
  deleteSnapshot: { deleted: string };
  /** Started two at a time; `failed`: the labels whose start failed (each one's error is shown on it). */
  startAll: { started: string[]; failed: string[] };
  stopAll: { stopped: string[] };
  checkConflicts: ConflictView[];
  followLogs: { stream: string };
  stopLogs: { stopped: boolean };
  revealFolder: { opened: string };
  setTunnel: InstanceView;
  discoverWorktrees: WorktreeView[];
  /** The OS folder picker (desktop app only); empty when cancelled. */
  pickFolders: string[];
  dismissWorktreeOffer: { dismissed: boolean };
  getSettings: SettingsView;
  /** The settings after the change; refused as a whole (nothing changed) when one value is bad. */
  updateSettings: SettingsView;
  cloneDataPlan: CloneDataPlanView;
  cloneData: CloneDataView;
  worktreePolicy: WorktreePolicyView;
  setWorktreePolicy: WorktreePolicyView;
  setIdlePolicy: WorktreePolicyView;
  getStats: StatsView;
  planCleanup: CleanupPlanView;
  applyCleanup: CleanupResultView;
  hostAccess: HostAccessView;
  trustHostAccess: HostAccessView;
}

/** Events main pushes to every window. */
export interface ApiEvents {
  overview: Overview;
  /** `instance`: the instance's id. */
  progress: { instance: string; line: string };
  /** `time`: when Docker received the line (RFC 3339), for the panel's timestamps. */
  log: { stream: string; service: string; line: string; time?: string };
  notification: NotificationView;
  /** Open the window on this instance (a notification or tray item was clicked). */
  /** `instance`: its id or label. */
  focus: { instance: string };
  /** The settings changed (from any window, tab or the tray). */
  settings: SettingsView;
  /** Open one of the window's panels (the tray's "Settings…"), or an instance's host-access dialog (its id). */
  openPanel: { panel: 'settings' } | { panel: 'trust'; instance: string };
}

export type ApiMethod = keyof typeof apiTable;
export type ApiArgs<M extends ApiMethod> = v.InferInput<(typeof apiTable)[M]['args']>;
/** A method's arguments as main receives them, after its schema checked them. */
export type ApiArgsChecked = { [M in ApiMethod]: v.InferOutput<(typeof apiTable)[M]['args']> };
export type ApiEventName = keyof ApiEvents;

/** What main implements: one handler per method, its parameters and result taken from the table. */
export type ApiHandlers = { [M in ApiMethod]: (...args: ApiArgsChecked[M]) => Promise<ApiResults[M]> };
/** A checked call: the method and its arguments, correlated. */
export type ApiCall = { [M in ApiMethod]: { method: M; args: ApiArgsChecked[M] } }[ApiMethod];

/** What a window holds: one async function per method, and a subscription to events. */
export type ApiClient = { [M in ApiMethod]: (...args: ApiArgs<M>) => Promise<ApiResults[M]> } & {
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
};

/**
 * What Electron's preload exposes: one function per method resolving with its reply, never throwing
 * (contextBridge keeps only an Error's message, so the code travels as data); the renderer's bridge
 * turns a refusal back into a typed error.
 */
export type ApiReplyClient = {
  [M in ApiMethod]: (...args: ApiArgs<M>) => Promise<ApiReply<ApiResults[M]>>;
} & Pick<ApiClient, 'on'>;

export const API_METHODS = Object.keys(apiTable) as ApiMethod[];
export const API_EVENTS: readonly ApiEventName[] = [
  'overview',
  'progress',
  'log',
  'notification',
  'focus',
  'settings',
  'openPanel',
];

/** IPC channel names, written once. */
export const IPC = { invoke: 'axi:invoke', event: 'axi:event' } as const;

/** Errors cross every boundary as this. */
export interface ApiError {
  code: string;
  message: string;
}

export type ApiReply<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export function isApiMethod(m: unknown): m is ApiMethod {
  return typeof m === 'string' && Object.prototype.hasOwnProperty.call(apiTable, m);
}

/** Checks a call from a window: a known method and arguments matching its schema. Throws AxiError (BAD_INPUT). */
export function parseCall(method: unknown, args: unknown): ApiCall {
  if (!isApiMethod(method)) throw new AxiError('BAD_INPUT', `unknown method ${JSON.stringify(method)}`);
  const parsed = v.safeParse(apiTable[method].args, args);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = v.getDotPath(issue);
    throw new AxiError('BAD_INPUT', `bad arguments for ${method}${where ? ` at ${where}` : ''}: ${issue.message}`);
  }
  return { method, args: parsed.output } as ApiCall;
}
