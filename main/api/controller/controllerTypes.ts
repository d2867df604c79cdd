import type { Backend } from '../../docker/lifecycle/backend';
import { ApiEventBus } from './events';
import { SettingsManager, type SettingsHost } from '../handlers/settings';
import { StatsSampler } from '../overview/statsSampler';
import type { IdleCheck } from './idleCheck';
import { type ApiHandlers, type ApiReply, type Overview, type StackPreviewView } from '../../shared/api/table';

export interface ControllerOptions {
  backend: Backend;
  /** One re-check of host ports for all instances (another program may take a registered port). */
  recheckMs?: number;
  /** Opens a folder in the OS file manager (Electron); absent in a browser. */
  revealFolder?: (folder: string) => Promise<void>;
  /** Shows the OS folder picker (Electron); absent in a browser. */
  pickFolders?: () => Promise<string[]>;
  /** The desktop app (start at login) or `axi serve` (the default); settings live in the backend's store. */
  host?: SettingsHost;
  /** Follow the registered repositories' worktrees by their `worktrees:` policy (default true). */
  followWorktrees?: boolean;
  /** Keep SSH tunnels open for running remote instances whose toggle is on (default true). */
  keepTunnels?: boolean;
}

/**
 * What the app's window talks to, in Electron and in `axi serve` alike: the
 * API table's handlers, one status model per engine (engine events, no
 * polling) and one port re-check for all instances, and the table's events.
 */
export interface AppController {
  readonly handlers: ApiHandlers;
  /** The user's settings, as `getSettings` and `updateSettings` serve them. */
  readonly settings: SettingsManager;
  /** Validates and runs one call from a window; errors come back as `{ code, message }`. */
  invoke(method: unknown, args: unknown): Promise<ApiReply<unknown>>;
  /** The last overview pushed to windows (kept current by events), or a fresh one before the first push. */
  current(): Promise<Overview>;
  /** A fresh overview soon: something it reads changed outside it (the router started or stopped). */
  refresh(): void;
  on: ApiEventBus['on'];
  onAny: ApiEventBus['onAny'];
  emit: ApiEventBus['emit'];
  /** What each instance costs, sampled only when asked (the visible window, the tray menu opening). */
  readonly stats: StatsSampler;
  /** Idle sleep: the router counts its requests here and wakes sleeping instances through it. */
  readonly idle: IdleCheck;
  /**
   * The tray's "Add repository…": each folder registered under the tracker, a refusal notified. Where both stacks
   * are plausible, `choose` asks which (null: that folder is skipped); without it such a folder is refused.
   */
  addFolders(
    dirs: readonly string[],
    choose?: (preview: StackPreviewView) => Promise<'compose' | 'aegisx' | null>,
  ): Promise<void>;
  start(): Promise<void>;
  stop(): void;
}
