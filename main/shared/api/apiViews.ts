/** What the API's methods return and its events carry: the views, one interface each. No Node imports here. */
import type { SettingKey, Settings } from '../schemas/settings';
import type { EngineState, EngineView, Health, InstanceState } from '../states';
import { type WorktreePolicy } from '../schemas/worktreePolicySchema';
import type { IdleSetting } from '../schemas/idlePolicy';

export interface PortLinkView {
  key: string;
  port: number;
  kind: 'http' | 'https' | 'postgres' | 'redis' | 'plain';
  /** Its variable name: DATABASE_URL, WEB_URL, DB_URL, … */
  name: string;
  url: string;
}

/** The add field's line about a folder: which stack it will get, and whether the user must choose. */
export interface StackPreviewView {
  folder: string;
  registered: string | null;
  pick: 'recorded' | 'compose' | 'aegisx' | 'ask';
  composeFiles: string[];
  services: string[];
  text: string;
}

export interface ServiceView {
  state: string;
  health: Health;
  /** Down because someone asked it to stop (the engine saw a stop or kill), not by a crash. */
  stopAsked?: boolean;
}

export interface InstanceView {
  name: string;
  /** `repo/name`: unique (names are unique per repository); what calls and events name the instance by. */
  id: string;
  /** What to show: the name, or the id where another repository has the same name. */
  label: string;
  folder: string;
  project: string;
  main: boolean;
  slot: number | null;
  template: string | null;
  branch: string | null;
  /** Its git repository's main folder, shared by the checkout and its worktrees (the window groups by it); null outside git. */
  repository: string | null;
  /** Its folder name's suffix: set for an instance by its name (a worktree, a second clone `shop-2`), absent for a main checkout. */
  suffix?: string;
  ports: Record<string, number>;
  /** Port ranges: key → the block's length (its first port is in `ports`). */
  spans?: Record<string, number>;
  /** Protocols other than TCP alone, by key (`media` → `udp`, `turn` → `tcp+udp`). */
  protocols?: Record<string, string>;
  /** Host address its ports are published on: 127.0.0.1 (this machine only) unless the repository asked for the LAN. */
  bind: string;
  /** The Docker engine it lives on (a context name or a DOCKER_HOST value); absent or null: the local engine. */
  engine?: string | null;
  /** On a remote engine: that engine's connection state (its card reads this, not the local engine's). */
  engineState?: EngineState;
  /** DATABASE_URL, REDIS_URL, WEB_URL, API_URL, ADMIN_URL, PGADMIN_URL: by port (what Safari and some CLIs need). */
  urls: Record<string, string>;
  /** Every published port with its scheme: http(s) links, postgres/redis connection strings, plain host:port. */
  links?: PortLinkView[];
  /**
   * Its names on the local router (`http://fix-login.shop.localhost`), the instance's own (web: true) first,
   * by port key; shown before the port URLs. Absent where no router is run.
   */
  routes?: RouteLinkView[];
  /** No router runs: `routes` lead nowhere, so the window and tray do not show them (the router's table uses them). */
  routerDown?: boolean;
  files: string[];
  /** Named volumes: what a reset deletes (after a snapshot). */
  volumes: string[];
  status: InstanceState;
  /** Running, but paused by our own data copy ('paused'), or resuming from it: never a failure. */
  copyPause?: 'paused' | 'recovering';
  services: Record<string, ServiceView>;
  /** The operation in progress (start, stop, reset, …), if any. */
  busy: string | null;
  /** When it began (ms since the epoch): the window counts the seconds. */
  busySince: number | null;
  /** Since when (ms) it has been running or stopped, as the engine tells (to the minute for long spans). */
  since: number | null;
  /** Port keys something listens on at the last re-check: the window links only these. */
  listening: string[];
  /**
   * Ports its running containers still publish where the registration has moved on (set up again, or
   * reassigned, while it ran), by key: they change at its next start, which the card says and offers.
   */
  oldPorts: Record<string, number>;
  /** The last operation's error, shown in place until the next one. */
  error: string | null;
  /** On an SSH engine, under the desktop app or `axi serve`: the tunnel that brings its ports to this machine. */
  tunnel?: TunnelView;
  /** The folder no longer exists (a worktree removed with git): offered for cleanup. */
  gone: boolean;
  /** A Swarm stack `axi stack --deploy` made of it, with its tasks as the swarm counts them; absent without one. */
  stack?: StackView;
  /** Status `asleep`: put to sleep by idle sleep, since when and why (the first request through the router wakes it). */
  asleep?: { since: number; why: string; notify?: boolean };
  /** Pinned (`axi pin`): idle sleep leaves it running. */
  pinned?: boolean;
  /** Its compose file reaches the host and no person has accepted that: a start asks first (hostAccess). */
  needsTrust?: true;
}

/** One name of an instance on the local router. */
export interface RouteLinkView {
  /** The port key it goes to; null: the instance has no HTTP port. */
  key: string | null;
  url: string;
  /** The instance's own name (its web service). */
  web: boolean;
}

/** A deployed stack's services and their tasks (running of desired), as `docker stack services` counts them. */
export interface StackView {
  /** The stack's name: the instance's Compose project. */
  name: string;
  running: number;
  desired: number;
  services: { name: string; running: number; desired: number }[];
}

/** A remote instance's SSH tunnel: its toggle and what the keeper is doing about it. */
export interface TunnelView {
  /** Keep a tunnel open while it runs (on by default; `axi tunnel NAME --keep on|off` sets the same). */
  keep: boolean;
  /** open; opening; retrying (after a drop or a failure, with `error`); idle (wanted, not running); off. */
  state: 'open' | 'opening' | 'retrying' | 'idle' | 'off';
  /** The ports it forwards to the same ports on 127.0.0.1. */
  ports: number[];
  error?: string;
}

export interface WorktreeView {
  path: string;
  branch: string | null;
  state: 'registered' | 'unregistered' | 'gone';
  name: string | null;
  ports: Record<string, number>;
}

export interface ConflictView {
  port: number;
  kind: 'registry' | 'host';
  service: string;
  instances: string[];
  process?: { pid: number; name: string };
  /** The host range the port is in (`4510-4559`): one conflict for the range, at its first busy port. */
  range?: string;
  /** A host conflict: the other instance whose containers publish the port. */
  heldBy?: string;
}

export interface Overview {
  /** The local engine's state. */
  engine: EngineState;
  /** The remote engines that have instances, each followed on its own. */
  engines: EngineView[];
  instances: InstanceView[];
  conflicts: ConflictView[];
  /** Why the last overview refresh or port re-check failed (the rest may be stale); null once they succeed again. */
  refreshError: string | null;
  /** Router names two or more instances would share: routed to neither (absent when there are none). */
  routeClashes?: { host: string; ids: string[] }[];
  /** New worktrees offered for registration, one offer per repository (absent when there are none). */
  worktreeOffers?: WorktreeOfferView[];
}

/** A repository's new, unregistered worktrees, offered once until registered or dismissed. */
export interface WorktreeOfferView {
  /** Its main checkout. */
  repository: string;
  paths: string[];
}

export interface SetupView {
  instance: InstanceView;
  written: Record<string, string>;
  /** It was registered already (its registration and ports kept as they were). */
  existing: boolean;
  /** What it was made from: `using docker-compose.yml (2 services: web, db)`. */
  using: string;
  /** The same as the window says it: `Using its own docker-compose.yml (web, db)`. */
  said: string;
  notes: string[];
  /** Other worktrees of the same repository not registered yet: the window offers to register them all. */
  otherWorktrees: WorktreeView[];
}

export interface SnapshotView {
  id: string;
  /** The folder it is kept in, on this machine. */
  dir: string;
  createdAt: string;
  reason: string;
  /** `clone`: cloned folders sharing blocks with the volumes (copy-on-write engines); `archive`: tar files here. */
  kind: 'archive' | 'clone';
  volumes: { name: string; bytes: number }[];
  /** What deleting it frees (a clone's blocks no volume shares any more); null: apparent only; absent: not asked. */
  exclusiveBytes?: number | null;
}

export interface NotificationView {
  kind: 'conflict' | 'healthy' | 'failed' | 'engine-lost' | 'engine-back' | 'worktree' | 'worktree-offer' | 'asleep';
  title: string;
  body: string;
  /** The instance the notification is about, by label: clicking it opens the window there. */
  instance: string | null;
  /** The worktree folder a `worktree` notification is about; for a `worktree-offer`, its repository (main checkout). */
  path?: string;
}

/** One volume of SOURCE and the one of TARGET it replaces, matched by service or compose key. */
export interface VolumePairView {
  key: string;
  from: string;
  to: string;
}

/** What "Copy data from…" would do: the candidate sources, and for the chosen one, the volumes copied. */
export interface CloneDataPlanView {
  target: { id: string; label: string; running: boolean };
  /** Other instances of the same repository; `main` marks its main checkout. */
  sources: { id: string; label: string; main: boolean }[];
  source: string | null;
  pairs: VolumePairView[];
  /** Volumes with no match on the other side: left alone. */
  unmatched: string[];
  /** Why nothing can be copied from the source, with the next step (null when something can). */
  reason: string | null;
}

/** A repository's `worktrees:` policy, as its main checkout's `.aegisx-instances.yml` gives it. */
export interface WorktreePolicyView {
  /** The main checkout (where the file lives). */
  repository: string;
  file: string;
  policy: WorktreePolicy;
  /** Its `idle:` (idle sleep): the main checkout's and the worktrees' idle times (`off`: never), and notify. */
  idle: IdleSetting;
  /**
   * It acts on its own (registers, starts or copies) and no person accepted it yet (`axi trust`, or Always trust
   * in the window): until then a new worktree is only offered.
   */
  pending: boolean;
}

/** A volume copied and verified: both sides hold `entries` entries (below the volume's root) and `bytes` bytes of files. */
export interface CopiedVolumeView extends VolumePairView {
  entries: number;
  bytes: number;
  /** Cloned copy-on-write (blocks shared until either side writes) rather than copied. */
  cloned?: boolean;
}

export interface CloneDataView {
  instance: InstanceView;
  /** Only what was verified: a copy that differs is an error, and the target is put back from its snapshot. */
  copied: CopiedVolumeView[];
  unmatched: string[];
  /** TARGET's previous data, kept before it was replaced. */
  snapshot: SnapshotView | null;
  pausedMs: number;
}

export interface SettingsView {
  values: Settings;
  /** Per setting, whether this host applies it, and why not: start at login belongs to the desktop app. */
  supported: Record<SettingKey, { ok: true } | { ok: false; reason: string }>;
  /** Where they are kept: the app's electron-store, or `$AXI_HOME/settings.json` under `axi serve`. */
  storedIn: string;
  /** What could not be read (defaults in use), or what a save had to do about it; null when all is well. */
  problem: string | null;
  /** The endpoint automatic detection picks (DOCKER_HOST, the docker context, a usual socket), shown as the default. */
  automaticEndpoint: string | null;
  /**
   * Grows with each change the server applies (from the clock at its start, so a restarted server's are higher):
   * a window that gets views out of order (a late echo) keeps the highest.
   */
  revision: number;
}
