import type Dockerode from 'dockerode';
import { readSleepState } from '../../core/registry/sleepState';
import { instanceId } from '../../core/registry/instanceRef';
import { instanceNames, ownedByOther, PROJECT_LABEL } from '../../core/project/naming';
import type { Preset } from '../../core/project/preset';
import type { InstanceRecord } from '../../core/registry/record';
import type { InstanceService } from '../../core/instances/service';
import { compose, ComposeError, composeFileFor, sourceEnvFile, type OutputSink } from '../compose/composeRunner';
import type { DockerConnection } from '../engine/connection';
import { labelMismatchNetwork, releaseStaleNetwork } from '../compose/networkMigration';
import { assertOwned, ownCommand } from './ownership';
import { withoutFolder } from './goneFolder';
import {
  instanceStatus,
  instanceStatuses,
  listComposeContainers,
  type ContainerStatus,
  type InstanceStatus,
} from '../status/status';

export interface InstanceWithStatus extends InstanceStatus {
  record: InstanceRecord;
  /** What a command did besides its job, or why it did nothing (`up` on a running instance). */
  notes?: string[];
}

/**
 * Start, stop, reset, restore and observe instances on a real engine: the connections to the engines and the
 * instances' status. The verbs are added by the classes above it (upDown.ts, snapshotReset.ts, lifecycle.ts).
 */
export class LifecycleConnections {
  /** One connection per engine: '' is the local one, else the registration's `engine`. */
  private readonly conns = new Map<string, Promise<DockerConnection>>();
  /** TCP engines' connections made without a ping, for status lists only. */
  private readonly unpinged = new Map<string, Promise<DockerConnection>>();

  constructor(
    readonly service: InstanceService,
    private readonly connect: (engine: string | null, o?: { ping?: boolean }) => Promise<DockerConnection>,
    private readonly endpointHint: (engine: string | null) => string | undefined = () => undefined,
  ) {}

  /** The connection to `on`'s engine (an instance's, or an engine's name); the local engine without one. */
  docker(on?: { engine?: string | null } | string | null): Promise<DockerConnection> {
    const engine = (typeof on === 'object' ? on?.engine : on) || null;
    const key = engine ?? '';
    let conn = this.conns.get(key);
    if (!conn) {
      conn = this.connect(engine).catch((err) => {
        this.conns.delete(key);
        throw err;
      });
      this.conns.set(key, conn);
    }
    return conn;
  }

  /** The Docker endpoint changed: the next call connects again (streams already open keep theirs). */
  forgetConnection(): void {
    this.conns.clear();
    this.unpinged.clear();
  }

  /** The engines of a copy: one connection when both instances are on the same engine. */
  async copyEngines(src: InstanceRecord, tgt: InstanceRecord): Promise<{ from: Dockerode; to: Dockerode }> {
    const to = (await this.docker(tgt)).docker;
    const from = (src.engine ?? null) === (tgt.engine ?? null) ? to : (await this.docker(src)).docker;
    return { from, to };
  }

  /**
   * Runs Compose for an instance on the engine we are connected to (every caller has pinged it
   * first, so a missing engine is exit 3 before Compose's own traceback). A network left by
   * Compose v1, which v2 refuses, is released once and the command run again.
   */
  async run(rec: InstanceRecord, args: string[], what: string, onOutput?: OutputSink): Promise<string[]> {
    const { docker } = await this.docker(rec);
    const dockerHost = this.endpointHint(rec.engine ?? null);
    await assertOwned(docker, rec, this.service.preset, ownCommand(args));
    if (args[0] === 'stop' || args[0] === 'down') {
      const gone = await withoutFolder(docker, rec, args[0], args.includes('--volumes'));
      if (gone) return (gone.forEach((n) => onOutput?.(n, 'stderr')), gone);
    }
    const file = await composeFileFor(rec.folder);
    const envFile = await sourceEnvFile(rec.folder, rec.from);
    const go = () =>
      compose({ folder: rec.folder, project: rec.project, file, args, onOutput, dockerHost, envFile }, what);
    try {
      await go();
      return [];
    } catch (err) {
      const network = err instanceof ComposeError ? labelMismatchNetwork(err.tail) : undefined;
      if (!network) throw err;
      const removed = await releaseStaleNetwork(docker, network, rec.project);
      const note = `network ${network} was made by Compose v1: recreated it${removed.length ? ` and the containers ${removed.join(', ')} (volumes kept)` : ''}`;
      onOutput?.(note, 'stderr');
      await go();
      return [note];
    }
  }

  /** Every registered instance with its live status; one call per engine that has instances. */
  async statuses(records?: InstanceRecord[]): Promise<InstanceWithStatus[]> {
    records ??= await this.service.records();
    const statuses = await this.statusMap(records);
    return records.map((r) => ({ ...statuses.get(instanceId(r))!, record: r }));
  }

  /**
   * Statuses by instance id, asking each engine that has instances once. The local engine's failure is thrown
   * (DOCKER_UNAVAILABLE, as before); a remote engine that does not answer leaves only its instances `unknown`.
   */
  async statusMap(records: InstanceRecord[], local?: ContainerStatus[]): Promise<Map<string, InstanceStatus>> {
    const out = new Map<string, InstanceStatus>();
    // Every engine asked at once: a remote engine costs its own round trip, not one after the other's.
    const groups = [...byEngine(records)];
    const lists = await Promise.all(
      groups.map(([engine]) =>
        engine === null
          ? Promise.resolve(local ?? this.allContainers())
          : this.remoteContainers(engine).catch(() => undefined),
      ),
    );
    const { asleep } = await readSleepState(this.service.paths.home);
    groups.forEach(([, group], k) => {
      for (const [id, s] of instanceStatuses(group, lists[k], asleep)) out.set(id, s);
    });
    return out;
  }

  /**
   * A remote engine's containers in one request: over TCP without the ping a new connection starts with,
   * since the list's own answer (or its failure within the ping's time) says whether the engine is there.
   * Over SSH a connection costs a handshake, so the kept (pinged) one serves.
   */
  private async remoteContainers(engine: string): Promise<ContainerStatus[]> {
    const overSsh = this.endpointHint(engine)?.startsWith('ssh://') ?? false;
    let conn = this.conns.get(engine) ?? (overSsh ? this.docker(engine) : this.unpinged.get(engine));
    if (!conn) {
      conn = this.connect(engine, { ping: false });
      this.unpinged.set(engine, conn);
    }
    try {
      return await listComposeContainers((await conn).docker, AbortSignal.timeout(2000));
    } catch (err) {
      this.unpinged.delete(engine);
      throw err;
    }
  }

  /** Every Compose container on one engine (the local one by default), in one call. */
  async allContainers(engine: string | null = null): Promise<ContainerStatus[]> {
    const { docker } = await this.docker(engine);
    // Another registry's or user's containers are not read as an instance's (its status, its figures).
    return (await listComposeContainers(docker)).filter((c) => !ownedByOther(c.labels));
  }

  async status(nameOrDir: string): Promise<InstanceWithStatus> {
    const rec = await this.service.find(nameOrDir);
    const { docker } = await this.docker(rec);
    const mark = (await readSleepState(this.service.paths.home)).asleep[instanceId(rec)];
    return { ...instanceStatus(rec, await this.containers(docker, rec), undefined, mark), record: rec };
  }

  async containers(docker: Dockerode, rec: InstanceRecord): Promise<ContainerStatus[]> {
    return (await listComposeContainers(docker)).filter((c) => c.project === rec.project && !ownedByOther(c.labels));
  }

  /** The named volumes of an instance that exist on the engine. */
  protected async volumes(docker: Dockerode, rec: InstanceRecord): Promise<string[]> {
    const expected = volumeNames(this.service.preset, rec);
    const { Volumes } = await docker.listVolumes();
    const mine = (Volumes ?? []).filter((v) => expected.includes(v.Name) || v.Labels?.[PROJECT_LABEL] === rec.project);
    return mine.map((v) => v.Name).sort();
  }
}

/** Registrations grouped by their engine (null: the local one), local first. */
export function byEngine(records: readonly InstanceRecord[]): Map<string | null, InstanceRecord[]> {
  const groups = new Map<string | null, InstanceRecord[]>();
  for (const r of [...records].sort((a, b) => Number(Boolean(a.engine)) - Number(Boolean(b.engine)))) {
    const key = r.engine ?? null;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return groups;
}

/** The named volumes an instance's file defines: as recorded at setup, else the stack's naming rule. */
export function volumeNames(preset: Preset, rec: InstanceRecord): string[] {
  return rec.volumes ?? Object.values(instanceNames(preset, rec).volumes);
}
