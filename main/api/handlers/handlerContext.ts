// What every handler is given: its own module, so the handler files and handlers.ts do not import each other.
import type { OfferDesk } from '../overview/worktreeOffers';
import type { InstanceLifecycle } from '../../docker/lifecycle/lifecycle';
import type { InstanceService } from '../../core/instances/service';
import type { LogStreams } from '../overview/logStreams';
import { type OperationTracker } from '../controller/operations';
import { type OverviewSources } from '../overview/overview';
import type { OverviewPublisher } from '../overview/overviewPublisher';
import type { PortRecheck } from '../controller/rechecks';
import type { SettingsManager } from './settings';
import { type StatsHandlerContext } from './statsHandlers';

/** The Docker side the handlers drive: the lifecycle's operations (loaded on first use). */
export type LifecycleOps = Pick<
  InstanceLifecycle,
  | 'up'
  | 'stop'
  | 'remove'
  | 'reset'
  | 'restore'
  | 'snapshots'
  | 'deleteSnapshot'
  | 'cloneData'
  | 'planCloneData'
  | 'docker'
>;

export interface HandlerContext {
  service: InstanceService;
  lifecycle: () => LifecycleOps;
  ops: OperationTracker;
  logs: Pick<LogStreams, 'start' | 'stop'>;
  sources: OverviewSources;
  publisher: Pick<OverviewPublisher, 'current'>;
  recheck: Pick<PortRecheck, 'run' | 'runFor' | 'refreshRegistry' | 'current'>;
  /** Opens a folder in the OS file manager (Electron); absent in a browser. */
  revealFolder?: (folder: string) => Promise<void>;
  /** Shows the OS folder picker (Electron); absent in a browser. */
  pickFolders?: () => Promise<string[]>;
  settings: Pick<SettingsManager, 'view' | 'update'>;
  /** What each instance costs, and the cleanup that reclaims disk. */
  stats: StatsHandlerContext;
  /** Whether an engine is reached over SSH (a tunnel can be kept for its instances). */
  overSsh: (engine: string) => boolean;
  /** The kept tunnels (desktop app and `axi serve`): asked to look again once a toggle changes. */
  tunnels?: { reconcile(): Promise<void> };
  /** New worktrees offered in the window, one offer per repository (absent: nothing offered). */
  offers?: Pick<OfferDesk, 'offer' | 'dismiss'>;
}
