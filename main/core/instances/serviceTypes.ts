import type { StackChoice } from './setup/stackChoice';
import { type HostPortProbe, type PortOwner } from '../ports/hostPorts';
import { type WriteOutcome } from '../project/instanceFiles';
import { type AxiPaths } from '../registry/paths';
import { type ReplaceHooks } from './setup/replaceGuard';
import { type Ports, type Preset } from '../project/preset';
import type { ComposeModelReader } from '../compose/composeModel';

export interface InstanceSummary {
  name: string;
  /** `repo/name`: unique, where `name` is unique per repository only. */
  id: string;
  folder: string;
  project: string;
  main: boolean;
  slot: number | null;
  template: string | null;
  ports: Ports;
  /** Port ranges: key → the block's length (its first port is in `ports`). */
  spans?: Record<string, number>;
  /** Protocols other than TCP alone, by key (`media` → `udp`, `turn` → `tcp+udp`). */
  protocols?: Record<string, string>;
  /** Host address its ports are published on. */
  bind: string;
  /** The Docker engine it lives on (a context name or a DOCKER_HOST value); null: the local engine. */
  engine: string | null;
  files: string[];
  createdAt: string;
  updatedAt: string;
}

export interface SetupResult extends InstanceSummary {
  /** What happened to each generated file, by path. */
  written: Record<string, WriteOutcome>;
  /** True when ports were (re)allocated by this call. */
  allocated: boolean;
  notes: string[];
  /** What it was made from, in one line: `using docker-compose.yml (2 services: web, db)`. */
  using: string;
  /** The same for the window, as a sentence: `Using its own docker-compose.yml (web, db)`. */
  said: string;
  /** The prefix its instances' names take and where it came from: `prefix shop (the repository's base name)`. */
  prefix: string;
}

export interface SetupOptions {
  template?: string;
  reassign?: boolean;
  force?: boolean;
  /** Instance name instead of the one derived from the folder. */
  name?: string;
  /** Environment for FOLDER_NAME (the seed's CI matrix). */
  env?: NodeJS.ProcessEnv;
  /** Make the instance file from the project's own compose file(s). */
  from?: string[];
  /** Record these ports (what an instance's containers already publish) instead of allocating: `axi doctor --fix`. */
  adoptPorts?: Ports;
  /** Host address ports are published on; `127.0.0.1` (this machine only) unless asked. */
  bind?: string;
  /** With `reassign`: move every port, not only those another instance or program holds. */
  all?: boolean;
  /** The window's choice for a folder with its own compose file: that file (`--from`), or the AegisX stack. */
  stack?: StackChoice;
  /** Give the folder another instance although its registered one runs: its containers are stopped first. */
  replace?: boolean;
  /** A `--from` stack's container-name prefix, as its containers' labels recorded it (re-adoption). */
  prefix?: string;
  /** The main checkout's Compose project name, as `docker compose -p` gives it. */
  projectName?: string;
  /** Volumes an adopted stack keeps by their own names, by service (`axi adopt`); a re-setup keeps the recorded ones. */
  volumeNames?: Record<string, string>;
  /**
   * The Docker engine to live on: a context name or a DOCKER_HOST value, checked by the caller; null: the local
   * engine. Undefined keeps the recorded one.
   */
  engine?: string | null;
}

export interface Conflict {
  port: number;
  kind: 'registry' | 'host';
  service: string;
  instances: string[];
  process?: PortOwner;
  /** A host conflict: the other instance whose containers publish the port, by label. */
  heldBy?: string;
  /** Lines of the seed's registry file (`~/.aegisx-port-registry`) that reserve this port. */
  registryLines?: { name: string; line: number }[];
  /** The host range the port is in (`4510-4559`, `50100-50200/udp`): one conflict per range, at its first busy port. */
  range?: string;
}

export interface ConflictQuery {
  /** Only this instance's ports, by name or id (a start checks its own, not everybody's). */
  only?: string;
  /** Ports its own containers publish (found by the engine's labels), to its id: never a conflict for it. */
  ownPorts?: ReadonlyMap<number, string>;
}

export interface ServiceOptions {
  paths?: AxiPaths;
  preset?: Preset;
  probe?: HostPortProbe;
  clock?: () => Date;
  /**
   * Ports published by an instance's own containers (port → instance id, `repo/name`), so
   * they are not reported as taken by "another program". Supplied by the Docker layer.
   */
  ownPublishedPorts?: () => Promise<ReadonlyMap<number, string>>;
  /**
   * Ports bound by an instance's own containers that are coming up (created or restarting, port → id):
   * Docker's proxy holds them before the container lists them, and that is the instance's own doing.
   */
  comingUpPorts?: () => Promise<ReadonlyMap<number, string>>;
  /**
   * Ports a Compose project's containers already publish, by registry key; undefined when it has
   * none or no engine answers. A folder registered while its containers run adopts them. With `folder`,
   * only containers Compose made from that folder (its working_dir label): a plain `docker compose up` there.
   * `spans`: the stack's ranges, each read as one entry at its block's first port.
   */
  projectPorts?: (
    project: string,
    engine: string | null,
    folder?: string,
    spans?: Readonly<Record<string, number>>,
  ) => Promise<Ports | undefined>;
  /**
   * How ports are checked on a remote engine's host (its listeners and every container's published ports,
   * asked through that engine): one probe per allocation. Supplied by the Docker layer.
   */
  engineProbe?: (engine: string) => HostPortProbe;
  /** Compose v2's merged reading of a project's files (`--from`); without it axi merges them itself. */
  composeModel?: ComposeModelReader;
  /**
   * The host address a new registration publishes on when neither `--bind` nor the repository's `bind:` says
   * (the user's `defaultBind` setting, read at each setup); 127.0.0.1 without it.
   */
  defaultBind?: () => string;
  /** Whether a registration setup would replace still runs, and how to stop it (the Docker layer). */
  replaceHooks?: ReplaceHooks;
}
