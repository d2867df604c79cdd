import type Dockerode from 'dockerode';
import { AxiError } from '../core/errors';
import { engineLabel } from '../core/engine';
import { describeOwner } from '../core/hostPorts';
import { instanceId } from '../core/instanceRef';
import { instanceNames, ownedByOther, PROJECT_LABEL } from '../core/naming';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { COMPOSE_FILE } from '../core/instanceFiles';
import type { Preset } from '../core/preset';
import type { InstanceRecord } from '../core/registry';
import type { InstanceService } from '../core/service';
import { compose, ComposeError, composeFileFor, detectCompose, sourceEnvFile, type OutputSink } from './composeRunner';
import type { DockerConnection } from './connection';
import { waitHealthy } from './health';
import { clearAsleep, readSleepState } from '../core/sleepState';
import { followLogs } from './logs';
import { labelMismatchNetwork, releaseStaleNetwork } from './networkMigration';
import {
  assertSnapshotBelongs,
  listSnapshots,
  restoreVolumes,
  takeSnapshot,
  type Snapshot,
  removeSnapshotDir,
} from './snapshots';
import {
  cloneData,
  dataSource,
  planCloneData,
  type CloneDataOptions,
  type CloneDataPlan,
  type CloneDataResult,
} from './dataCopy';
import { chooseHelperImage, composeFileImages } from './helperImage';
import { assertOwned, ownCommand } from './ownership';
import { withoutFolder } from './goneFolder';
import { assertHostAccess } from './hostAccess';
import {
  instanceStatus,
  instanceStatuses,
  listComposeContainers,
  type ContainerStatus,
  type InstanceStatus,
} from './status';

export interface InstanceWithStatus extends InstanceStatus {
  record: InstanceRecord;
  /** What a command did besides its job, or why it did nothing (`up` on a running instance). */
  notes?: string[];
}

/**
 * Start, stop, reset, restore and observe instances on a real engine. Up and
 * down go through the Compose CLI (the seed's smart file choice); everything
 * read or snapshotted goes through the engine API.
 */
export class InstanceLifecycle {
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

  /**
   * Refuses to start when another program holds one of the instance's ports. Only its own ports are
   * probed, and the ports its own containers publish (found by the engine's labels) never count.
   */
  async assertPortsFree(rec: InstanceRecord, own: readonly ContainerStatus[]): Promise<void> {
    const ownPorts = new Map(own.flatMap((c) => c.published.map((p) => [p, instanceId(rec)] as const)));
    const conflicts = await this.service.checkConflicts({ only: instanceId(rec), ownPorts });
    const where = rec.engine ? ` on engine ${engineLabel(rec.engine)}` : '';
    const fix = `stop it or run axi setup ${rec.folder} --reassign`;
    const c = conflicts.find((x) => x.kind === 'host');
    const reassign = { action: 'reassign', target: await this.service.label(rec) } as const;
    if (c) {
      const reason = `port ${c.port} (${c.service}) of ${c.instances[0]}${where} is in use by ${describeOwner(c.process)}`;
      throw new AxiError('PORT_CONFLICT', `${reason}; ${fix}`, { reason, fix: reassign });
    }
    // On a shared engine another registration there may have claimed the port since (locally the seed's
    // registry lines make such claims too, and check-conflicts reports those).
    const r = rec.engine ? conflicts.find((x) => x.kind === 'registry') : undefined;
    if (r) {
      const reason = `port ${r.port} (${r.service})${where} is registered to ${r.instances.join(' and ')}`;
      throw new AxiError('PORT_CONFLICT', `${reason}; run axi setup ${rec.folder} --reassign`, {
        reason,
        fix: reassign,
      });
    }
  }

  async up(
    nameOrDir: string,
    opts: { wait?: boolean; timeoutMs?: number; onOutput?: OutputSink } = {},
  ): Promise<InstanceWithStatus> {
    const rec = await this.service.find(nameOrDir);
    const { docker } = await this.docker(rec);
    const own = await this.containers(docker, rec);
    const timeoutMs = opts.timeoutMs ?? 180_000;
    if (instanceStatus(rec, own).status === 'running' && !(await fileNewerThan(rec, own))) {
      // Already up: nothing to start, and its own ports are no conflict.
      if (opts.wait) await waitHealthy(docker, rec.project, { timeoutMs });
      return { ...(await this.status(instanceId(rec))), notes: ['already running: nothing to start'] };
    }
    await this.assertPortsFree(rec, own);
    await assertHostAccess(this.service.paths.home, rec, await this.service.label(rec));
    const cli = await detectCompose();
    // v2 waits for health itself; v1 has no --wait, so the engine's health events are ours to follow.
    const nativeWait = opts.wait && cli.version === 2;
    const args = nativeWait
      ? ['up', '-d', '--wait', '--wait-timeout', String(Math.ceil(timeoutMs / 1000))]
      : ['up', '-d'];
    const notes = await this.run(rec, args, 'start', opts.onOutput);
    const onWaiting = (services: string[]) =>
      opts.onOutput?.(`waiting for ${services.join(', ')} to be healthy`, 'stderr');
    if (opts.wait && !nativeWait) await waitHealthy(docker, rec.project, { timeoutMs, onWaiting });
    await clearAsleep(this.service.paths.home, instanceId(rec));
    return { ...(await this.status(instanceId(rec))), ...(notes.length ? { notes } : {}) };
  }

  /** Pause: containers stopped, volumes and containers kept. */
  async stop(nameOrDir: string, opts: { onOutput?: OutputSink } = {}): Promise<InstanceWithStatus> {
    const rec = await this.service.find(nameOrDir);
    const notes = await this.run(rec, ['stop'], 'stop', opts.onOutput);
    await clearAsleep(this.service.paths.home, instanceId(rec)); // stopped by the user: no longer asleep
    return { ...(await this.status(instanceId(rec))), ...(notes.length ? { notes } : {}) };
  }

  /** Removes containers and network; volumes only when asked. */
  async down(nameOrDir: string, opts: { volumes?: boolean; onOutput?: OutputSink } = {}): Promise<InstanceWithStatus> {
    const rec = await this.service.find(nameOrDir);
    const notes = await this.run(rec, opts.volumes ? ['down', '--volumes'] : ['down'], 'down', opts.onOutput);
    return { ...(await this.status(instanceId(rec))), ...(notes.length ? { notes } : {}) };
  }

  /**
   * Forgets a registration. Its containers would go on serving the old ports unseen, so a running
   * instance is refused unless `down` (stop and remove its containers; volumes are always kept) or
   * `keepContainers` (forget it anyway) is given.
   */
  async remove(
    nameOrDir: string,
    opts: { down?: boolean; keepContainers?: boolean; onOutput?: OutputSink } = {},
  ): Promise<{ name: string; folder?: string; removedContainers: boolean; volumesLeft?: string[] }> {
    const rec = await this.service.find(nameOrDir).catch(() => undefined);
    if (!rec || opts.keepContainers) return { ...(await this.service.remove(nameOrDir)), removedContainers: false };
    const who = await this.service.label(rec);
    const { docker } = await this.docker(rec).catch((err) => {
      throw err instanceof AxiError && err.code === 'DOCKER_UNAVAILABLE'
        ? new AxiError(err.code, `${err.message}; to forget ${who} without asking the engine, pass --keep-containers`)
        : err;
    });
    // `--down` asks to remove what carries its names: say whose they are rather than forget it silently.
    if (opts.down) await assertOwned(docker, rec, this.service.preset, 'remove --down');
    const own = await this.containers(docker, rec);
    const running = own.filter((c) => c.state === 'running').map((c) => c.name);
    if (running.length && !opts.down) {
      const reason = `${who} is running (${running.join(', ')})`;
      throw new AxiError(
        'IN_USE',
        `${reason}; stop and remove its containers with axi remove ${who} --down (volumes are kept), or stop it first`,
        { reason, fix: { action: 'removeDown', target: who } },
      );
    }
    if (own.length && opts.down) await this.run(rec, ['down'], 'down', opts.onOutput);
    // What stays on the engine, so the message does not claim volumes a `down --volumes` already deleted.
    const volumesLeft = await this.volumes(docker, rec).catch(() => undefined);
    return {
      ...(await this.service.remove(instanceId(rec))),
      removedContainers: own.length > 0 && Boolean(opts.down),
      ...(volumesLeft ? { volumesLeft } : {}),
    };
  }

  async stopAll(opts: { onOutput?: OutputSink } = {}): Promise<string[]> {
    const stopped: string[] = [];
    for (const s of await this.statuses()) {
      if (s.status === 'running' || s.status === 'partial') {
        await this.run(s.record, ['stop'], 'stop', opts.onOutput);
        stopped.push(s.name);
      }
    }
    return stopped;
  }

  /** The named volumes of an instance that exist on the engine. */
  private async volumes(docker: Dockerode, rec: InstanceRecord): Promise<string[]> {
    const expected = volumeNames(this.service.preset, rec);
    const { Volumes } = await docker.listVolumes();
    const mine = (Volumes ?? []).filter((v) => expected.includes(v.Name) || v.Labels?.[PROJECT_LABEL] === rec.project);
    return mine.map((v) => v.Name).sort();
  }

  /** The image its helper containers run: one of its own, probed (see helperImage.ts). */
  async helperImage(docker: Dockerode, rec: InstanceRecord, what = `read ${rec.name}'s volumes`): Promise<string> {
    const own = (await this.containers(docker, rec)).map((c) => c.image);
    const listed = await composeFileFor(rec.folder).then(composeFileImages, () => []);
    const cacheFile = path.join(this.service.paths.home, 'helper-images.json');
    return chooseHelperImage(docker, [...own, ...listed], what, { cacheFile });
  }

  async snapshot(nameOrDir: string, reason = 'manual', onOutput?: OutputSink): Promise<Snapshot> {
    const rec = await this.service.find(nameOrDir);
    const { docker } = await this.docker(rec);
    await assertOwned(docker, rec, this.service.preset, 'snapshot');
    const volumes = await this.volumes(docker, rec);
    if (!volumes.length)
      throw new AxiError('NOT_FOUND', `${await this.service.label(rec)} has no volumes to snapshot yet`);
    const image = await this.helperImage(docker, rec);
    const root = this.service.paths.snapshotsDir;
    const onVolume = (k: number, name: string) =>
      onOutput?.(`snapshot ${k}/${volumes.length} volumes: ${name}`, 'stderr');
    return takeSnapshot(docker, { instance: rec.name, volumes, image, root, reason, onVolume });
  }

  async snapshots(nameOrDir: string): Promise<Snapshot[]> {
    return this.ownSnapshots(await this.service.find(nameOrDir));
  }

  /** Deletes one of its snapshots (its folder under the snapshots root, nothing else). */
  async deleteSnapshot(nameOrDir: string, snapshotId: string): Promise<Snapshot> {
    const rec = await this.service.find(nameOrDir);
    const snap = (await this.ownSnapshots(rec)).find((s) => s.id === snapshotId);
    if (!snap) {
      const who = await this.service.label(rec);
      const reason = `no snapshot ${snapshotId} of ${who}`;
      throw new AxiError('NOT_FOUND', `${reason}; see axi snapshots ${who}`, {
        reason,
        fix: { action: 'snapshots', target: who },
      });
    }
    await removeSnapshotDir(this.service.paths.snapshotsDir, snap);
    return snap;
  }

  /** Its snapshots. Same-named instances of other repositories share the folder: theirs name their volumes. */
  private async ownSnapshots(rec: InstanceRecord): Promise<Snapshot[]> {
    const others = (await this.service.records()).filter(
      (r) => r.name === rec.name && instanceId(r) !== instanceId(rec),
    );
    const theirs = new Set(others.flatMap((r) => volumeNames(this.service.preset, r)));
    return (await listSnapshots(this.service.paths.snapshotsDir, rec.name)).filter(
      (s) => !(Array.isArray(s.volumes) && s.volumes.some((v) => theirs.has(v?.name))),
    );
  }

  /**
   * The seed's `down -v && up -d`, after a snapshot of every volume (unless
   * `snapshot: false`). Data is read while the containers are stopped, so
   * the snapshot is consistent.
   */
  async reset(
    nameOrDir: string,
    /** `start: false`: the fresh containers are created, not started (a stopped instance stays stopped). */
    opts: { snapshot?: boolean; start?: boolean; timeoutMs?: number; onOutput?: OutputSink } = {},
  ): Promise<{ status: InstanceWithStatus; snapshot?: Snapshot }> {
    const rec = await this.service.find(nameOrDir);
    const { docker } = await this.docker(rec);
    await this.assertPortsFree(rec, await this.containers(docker, rec));
    // Refused before the stop, snapshot and `down -v`: a start the user has not confirmed changes nothing.
    if (opts.start !== false) await assertHostAccess(this.service.paths.home, rec, await this.service.label(rec));
    let snap: Snapshot | undefined;
    const snapshot = opts.snapshot !== false && (await this.volumes(docker, rec)).length > 0;
    // Each step said as it begins (the window shows the latest; the CLI prints them with Compose's lines).
    const total = snapshot ? 4 : 2;
    let at = 0;
    const step = (text: string) => opts.onOutput?.(`step ${++at}/${total}: ${text}`, 'stderr');
    if (snapshot) {
      step('stopping, so the snapshot is consistent');
      await this.run(rec, ['stop'], 'stop', opts.onOutput);
      step('taking a snapshot of its volumes');
      snap = await this.snapshot(instanceId(rec), 'reset', opts.onOutput);
    }
    step('removing its containers and volumes');
    await this.run(rec, ['down', '--volumes'], 'down', opts.onOutput);
    if (opts.start === false) {
      step('creating fresh containers and volumes (left stopped, as it was)');
      await this.run(rec, ['up', '--no-start'], 'create', opts.onOutput);
    } else {
      step('starting on fresh volumes');
      await this.run(rec, ['up', '-d'], 'start', opts.onOutput);
      // Done when it can be used, as `up --wait`: a client's first connection right after must succeed.
      await waitHealthy(docker, rec.project, { timeoutMs: opts.timeoutMs ?? 180_000 });
    }
    return { status: await this.status(instanceId(rec)), snapshot: snap };
  }

  /** Puts a snapshot's volumes back (latest by default) and leaves the instance running or stopped as it was. */
  async restore(
    nameOrDir: string,
    snapshotId?: string,
    opts: { timeoutMs?: number; onOutput?: OutputSink } = {},
  ): Promise<{ status: InstanceWithStatus; snapshot: Snapshot; previous?: Snapshot }> {
    const rec = await this.service.find(nameOrDir);
    const { docker } = await this.docker(rec);
    const all = await this.ownSnapshots(rec);
    const snap = snapshotId ? all.find((s) => s.id === snapshotId) : all[all.length - 1];
    if (!snap) {
      const who = await this.service.label(rec);
      const reason = snapshotId ? `no snapshot ${snapshotId} of ${who}` : `${who} has no snapshots`;
      throw new AxiError('NOT_FOUND', snapshotId ? `${reason}; see axi snapshots ${who}` : reason, {
        reason,
        ...(snapshotId ? { fix: { action: 'snapshots', target: who } as const } : {}),
      });
    }
    // The manifest is a file on disk: it may name only this instance's volumes and files in its own folder.
    assertSnapshotBelongs(
      snap,
      rec.name,
      new Set([...volumeNames(this.service.preset, rec), ...(await this.volumes(docker, rec))]),
    );
    const before = await this.status(instanceId(rec));
    const wasRunning = before.status === 'running' || before.status === 'partial';
    // It starts again: refused before anything is stopped or replaced, as `up` is.
    if (wasRunning) await assertHostAccess(this.service.paths.home, rec, await this.service.label(rec));
    const image = await this.helperImage(docker, rec);
    // The data being replaced is kept first (stopped, so it is consistent), as a reset keeps it: a restore
    // of the wrong snapshot is undone by restoring this one.
    let previous: Snapshot | undefined;
    if ((await this.volumes(docker, rec)).length) {
      await this.run(rec, ['stop'], 'stop', opts.onOutput);
      previous = await this.snapshot(instanceId(rec), 'before-restore', opts.onOutput);
    }
    await this.run(rec, ['rm', '--stop', '--force'], 'remove containers', opts.onOutput);
    await restoreVolumes(docker, snap, image);
    await this.run(rec, wasRunning ? ['up', '-d'] : ['up', '--no-start'], 'recreate', opts.onOutput);
    if (wasRunning) await waitHealthy(docker, rec.project, { timeoutMs: opts.timeoutMs ?? 180_000 });
    return { status: await this.status(instanceId(rec)), snapshot: snap, ...(previous ? { previous } : {}) };
  }

  /** What a copy would do, without doing it (see dataCopy.ts). */
  planCloneData(source: string, target: string): Promise<CloneDataPlan> {
    return planCloneData(this, source, target);
  }

  /** SOURCE as the user named it: an instance, a folder, or `main` (see dataCopy.ts); scopes check it. */
  dataSource(source: string, target: InstanceRecord): Promise<InstanceRecord> {
    return dataSource(this, source, target);
  }

  /** Copies SOURCE's volumes into TARGET's, verified, after a snapshot of TARGET's (see dataCopy.ts). */
  cloneData(source: string, target: string, opts: CloneDataOptions = {}): Promise<CloneDataResult> {
    return cloneData(this, source, target, opts);
  }

  /** Follows or prints the logs of an instance's containers (one service, or all). */
  async logs(
    nameOrDir: string,
    opts: {
      service?: string;
      follow?: boolean;
      tail?: number;
      timestamps?: boolean;
      onLine: (line: string, service: string, time?: string) => void;
      signal?: AbortSignal;
    },
  ): Promise<void> {
    const rec = await this.service.find(nameOrDir);
    const { docker } = await this.docker(rec);
    const own = await this.containers(docker, rec);
    const containers = own.filter((c) => !opts.service || c.service === opts.service);
    if (!containers.length) {
      const who = await this.service.label(rec);
      if (opts.service && own.length) {
        const names = [...new Set(own.map((c) => c.service))].sort().join(', ');
        throw new AxiError(
          'NOT_FOUND',
          `${who} has no service ${JSON.stringify(opts.service)}; its services: ${names}`,
        );
      }
      const reason = opts.service ? `${who} has no container for service ${opts.service}` : `${who} has no containers`;
      throw new AxiError('NOT_FOUND', `${reason}; start it with axi up ${who}`, {
        reason,
        fix: { action: 'start', target: who },
      });
    }
    await Promise.all(
      containers.map((c) =>
        followLogs(docker, c.id, {
          follow: Boolean(opts.follow),
          tail: opts.tail ?? 100,
          timestamps: opts.timestamps,
          signal: opts.signal,
          onLine: (l: string, time?: string) => opts.onLine(l, c.service, time),
        }),
      ),
    );
  }
}

/**
 * The instance file changed after its containers were made (setup --reassign, --bind, --force): a
 * running instance is then not "already up" — Compose recreates what changed.
 */
/** Registrations grouped by their engine (null: the local one), local first. */
export function byEngine(records: readonly InstanceRecord[]): Map<string | null, InstanceRecord[]> {
  const groups = new Map<string | null, InstanceRecord[]>();
  for (const r of [...records].sort((a, b) => Number(Boolean(a.engine)) - Number(Boolean(b.engine)))) {
    const key = r.engine ?? null;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return groups;
}

async function fileNewerThan(rec: InstanceRecord, own: readonly ContainerStatus[]): Promise<boolean> {
  const mtime = await stat(path.join(rec.folder, COMPOSE_FILE)).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  return own.some((c) => c.created * 1000 + 1000 < mtime); // Created has whole seconds
}

/** The named volumes an instance's file defines: as recorded at setup, else the stack's naming rule. */
export function volumeNames(preset: Preset, rec: InstanceRecord): string[] {
  return rec.volumes ?? Object.values(instanceNames(preset, rec).volumes);
}

// Its home is status.ts now; the controller still imports it from here.
export { expectedServices } from './status';
