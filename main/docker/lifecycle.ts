import type Dockerode from 'dockerode';
import { AxiError } from '../engine/errors';
import { describeOwner } from '../engine/hostPorts';
import { instanceNames } from '../engine/naming';
import type { InstanceRecord } from '../engine/registry';
import type { InstanceService } from '../engine/service';
import { compose, composeFileFor, type OutputSink } from './composeRunner';
import type { DockerConnection } from './connection';
import { waitHealthy } from './health';
import { followLogs } from './logs';
import { listSnapshots, restoreVolumes, takeSnapshot, type Snapshot } from './snapshots';
import { deriveStatus, groupByProject, listComposeContainers, type ContainerStatus, type InstanceStatus } from './status';

export interface InstanceWithStatus extends InstanceStatus {
  record: InstanceRecord;
}

/**
 * Start, stop, reset, restore and observe instances on a real engine. Up and
 * down go through the Compose CLI (the seed's smart file choice); everything
 * read or snapshotted goes through the engine API.
 */
export class InstanceLifecycle {
  private conn?: Promise<DockerConnection>;

  constructor(
    readonly service: InstanceService,
    private readonly connect: () => Promise<DockerConnection>,
    private readonly endpointHint: () => string | undefined = () => undefined,
  ) {}

  docker(): Promise<DockerConnection> {
    this.conn ??= this.connect().catch((err) => {
      this.conn = undefined;
      throw err;
    });
    return this.conn;
  }

  /**
   * Compose runs while the engine connection is made, not after it (that
   * overlap is most of `up --wait`'s lead); a missing engine still wins the
   * error so the exit code says so.
   */
  private async run(rec: InstanceRecord, args: string[], what: string, onOutput?: OutputSink): Promise<void> {
    // Compose's output waits until the engine answered: without one, its traceback would bury our one-line error.
    let held: [string, 'stdout' | 'stderr'][] | undefined = [];
    let conn: Promise<DockerConnection> | undefined;
    // Connecting loads dockerode, which blocks this thread for a while: start it once Compose is already running.
    const connect = () => {
      if (!conn) {
        conn = this.docker();
        conn.then(() => {
          for (const [l, st] of held ?? []) onOutput?.(l, st);
          held = undefined;
        }, () => undefined);
      }
      return conn;
    };
    const sink: OutputSink = (line, stream) => (held ? held.push([line, stream]) : onOutput?.(line, stream));
    const file = await composeFileFor(rec.folder);
    try {
      await compose({ folder: rec.folder, project: rec.project, file, args, onOutput: sink, onSpawn: connect, dockerHost: this.endpointHint() }, what);
    } catch (err) {
      await connect();
      throw err;
    }
    await connect();
  }

  /** Every registered instance with its live status; one engine call for all of them. */
  async statuses(records?: InstanceRecord[]): Promise<InstanceWithStatus[]> {
    records ??= await this.service.registry.list();
    const { docker } = await this.docker();
    const byProject = groupByProject(await listComposeContainers(docker));
    return records.map((r) => ({ ...deriveStatus(r.name, byProject.get(r.project) ?? [], expectedServices(r)), record: r }));
  }

  async status(nameOrDir: string): Promise<InstanceWithStatus> {
    const rec = await this.service.find(nameOrDir);
    const { docker } = await this.docker();
    return { ...deriveStatus(rec.name, await this.containers(docker, rec), expectedServices(rec)), record: rec };
  }

  private async containers(docker: Dockerode, rec: InstanceRecord): Promise<ContainerStatus[]> {
    return (await listComposeContainers(docker)).filter((c) => c.project === rec.project);
  }

  /** Refuses to start when another program holds one of the instance's ports (its own containers don't count). */
  async assertPortsFree(rec: InstanceRecord): Promise<void> {
    const conflicts = (await this.service.checkConflicts()).filter((c) => c.kind === 'host' && c.instances.includes(rec.name));
    const c = conflicts[0];
    if (c) {
      throw new AxiError('PORT_CONFLICT', `port ${c.port} (${c.service}) of ${rec.name} is in use by ${describeOwner(c.process)}; stop it or run axi setup ${rec.folder} --reassign`);
    }
  }

  async up(nameOrDir: string, opts: { wait?: boolean; timeoutMs?: number; onOutput?: OutputSink } = {}): Promise<InstanceWithStatus> {
    const rec = await this.service.find(nameOrDir);
    await this.assertPortsFree(rec);
    await this.run(rec, ['up', '-d'], 'start', opts.onOutput);
    const { docker } = await this.docker();
    if (opts.wait) await waitHealthy(docker, rec.project, { timeoutMs: opts.timeoutMs ?? 180_000 });
    this.service.emit('changed');
    return this.status(rec.name);
  }

  /** Pause: containers stopped, volumes and containers kept. */
  async stop(nameOrDir: string, opts: { onOutput?: OutputSink } = {}): Promise<InstanceWithStatus> {
    const rec = await this.service.find(nameOrDir);
    await this.run(rec, ['stop'], 'stop', opts.onOutput);
    return this.status(rec.name);
  }

  /** Removes containers and network; volumes only when asked. */
  async down(nameOrDir: string, opts: { volumes?: boolean; onOutput?: OutputSink } = {}): Promise<InstanceWithStatus> {
    const rec = await this.service.find(nameOrDir);
    await this.run(rec, opts.volumes ? ['down', '--volumes'] : ['down'], 'down', opts.onOutput);
    return this.status(rec.name);
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
    const expected = Object.values(instanceNames(this.service.preset, rec).volumes);
    const { Volumes } = await docker.listVolumes();
    const mine = (Volumes ?? []).filter(
      (v) => expected.includes(v.Name) || v.Labels?.['com.docker.compose.project'] === rec.project,
    );
    return mine.map((v) => v.Name).sort();
  }

  private async helperImage(docker: Dockerode, rec: InstanceRecord): Promise<string> {
    const own = (await this.containers(docker, rec)).find((c) => c.image);
    if (own) return own.image;
    const images = await docker.listImages();
    const any = images.find((i) => i.RepoTags?.some((t) => t !== '<none>:<none>'));
    if (!any) throw new AxiError('DOCKER', 'no local image to read volumes with; start the instance once first');
    return any.RepoTags!.find((t) => t !== '<none>:<none>')!;
  }

  async snapshot(nameOrDir: string, reason = 'manual'): Promise<Snapshot> {
    const rec = await this.service.find(nameOrDir);
    const { docker } = await this.docker();
    const volumes = await this.volumes(docker, rec);
    if (!volumes.length) throw new AxiError('NOT_FOUND', `${rec.name} has no volumes to snapshot yet`);
    const image = await this.helperImage(docker, rec);
    return takeSnapshot(docker, { instance: rec.name, volumes, image, root: this.service.paths.snapshotsDir, reason });
  }

  async snapshots(nameOrDir: string): Promise<Snapshot[]> {
    const rec = await this.service.find(nameOrDir);
    return listSnapshots(this.service.paths.snapshotsDir, rec.name);
  }

  /**
   * The seed's `down -v && up -d`, after a snapshot of every volume (unless
   * `snapshot: false`). Data is read while the containers are stopped, so
   * the snapshot is consistent.
   */
  async reset(nameOrDir: string, opts: { snapshot?: boolean; onOutput?: OutputSink } = {}): Promise<{ status: InstanceWithStatus; snapshot?: Snapshot }> {
    const rec = await this.service.find(nameOrDir);
    await this.assertPortsFree(rec);
    const { docker } = await this.docker();
    let snap: Snapshot | undefined;
    if (opts.snapshot !== false && (await this.volumes(docker, rec)).length) {
      await this.run(rec, ['stop'], 'stop', opts.onOutput);
      snap = await this.snapshot(rec.name, 'reset');
    }
    await this.run(rec, ['down', '--volumes'], 'down', opts.onOutput);
    await this.run(rec, ['up', '-d'], 'start', opts.onOutput);
    return { status: await this.status(rec.name), snapshot: snap };
  }

  /** Puts a snapshot's volumes back (latest by default) and leaves the instance running or stopped as it was. */
  async restore(nameOrDir: string, snapshotId?: string, opts: { onOutput?: OutputSink } = {}): Promise<{ status: InstanceWithStatus; snapshot: Snapshot }> {
    const rec = await this.service.find(nameOrDir);
    const all = await listSnapshots(this.service.paths.snapshotsDir, rec.name);
    const snap = snapshotId ? all.find((s) => s.id === snapshotId) : all[all.length - 1];
    if (!snap) {
      throw new AxiError('NOT_FOUND', snapshotId ? `no snapshot ${snapshotId} of ${rec.name}; see axi snapshots ${rec.name}` : `${rec.name} has no snapshots`);
    }
    const { docker } = await this.docker();
    const before = await this.status(rec.name);
    const wasRunning = before.status === 'running' || before.status === 'partial';
    const image = await this.helperImage(docker, rec);
    await this.run(rec, ['rm', '--stop', '--force'], 'remove containers', opts.onOutput);
    await restoreVolumes(docker, snap, image);
    await this.run(rec, wasRunning ? ['up', '-d'] : ['up', '--no-start'], 'recreate', opts.onOutput);
    return { status: await this.status(rec.name), snapshot: snap };
  }

  /** Follows or prints the logs of an instance's containers (one service, or all). */
  async logs(nameOrDir: string, opts: { service?: string; follow?: boolean; tail?: number; onLine: (line: string, service: string) => void; signal?: AbortSignal }): Promise<void> {
    const rec = await this.service.find(nameOrDir);
    const { docker } = await this.docker();
    const containers = (await this.containers(docker, rec)).filter((c) => !opts.service || c.service === opts.service);
    if (!containers.length) {
      throw new AxiError('NOT_FOUND', opts.service ? `${rec.name} has no container for service ${opts.service}` : `${rec.name} has no containers; start it with axi up ${rec.name}`);
    }
    await Promise.all(containers.map((c) => followLogs(docker, c.id, { follow: Boolean(opts.follow), tail: opts.tail ?? 100, signal: opts.signal, onLine: (l: string) => opts.onLine(l, c.service) })));
  }
}

/** Services an instance's compose file defines, as recorded at setup. */
export function expectedServices(rec: InstanceRecord): string[] {
  return rec.services ?? [];
}
