import type Dockerode from 'dockerode';
import { AxiError } from '../../shared/errors';
import { engineLabel } from '../../shared/display/engine';
import { describeOwner } from '../../core/ports/hostPorts';
import { instanceId } from '../../core/registry/instanceRef';
import { clearAsleep } from '../../core/registry/sleepState';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { COMPOSE_FILE } from '../../core/project/instanceFiles';
import { containerPorts } from '../../core/instances/records/instanceDoc';
import type { InstanceRecord } from '../../core/registry/record';
import { detectCompose, type OutputSink } from '../compose/composeRunner';
import { waitHealthy } from '../compose/health';
import { assertOwned } from './ownership';
import { assertHostAccess } from '../compose/hostAccess';
import { instanceStatus, type ContainerStatus } from '../status/status';
import { LifecycleConnections, type InstanceWithStatus } from './connections';

/** Up, stop, down, remove: the verbs that start and stop an instance's containers. */
export class LifecycleUpDown extends LifecycleConnections {
  /**
   * Refuses to start when another program holds one of the instance's ports. Only its own ports are
   * probed, and the ports its own containers publish (found by the engine's labels) never count.
   */
  async assertPortsFree(rec: InstanceRecord, own: readonly ContainerStatus[]): Promise<void> {
    const ownPorts = new Map(own.flatMap((c) => c.published.map((p) => [p, instanceId(rec)] as const)));
    const conflicts = await this.service.checkConflicts({ only: instanceId(rec), ownPorts });
    const where = rec.engine ? ` on engine ${engineLabel(rec.engine)}` : '';
    const fix = `stop it or run axi setup ${rec.folder} --reassign`;
    // Only a port its own containers publish stops Compose: a program on the AegisX stack's dev-server ports (`web`,
    // `api`, `admin`) does not (the card and check-conflicts still say who holds it).
    const mine = await containerPorts(rec);
    const c = conflicts.find((x) => x.kind === 'host' && mine.has(x.port));
    const reassign = { action: 'reassign', target: await this.service.label(rec) } as const;
    if (c) {
      // A range's port is named with its range, as check-conflicts names it.
      const what = c.range ? `of ${c.service} (range ${c.range})` : `(${c.service})`;
      const reason = `port ${c.port} ${what} of ${c.instances[0]}${where} is in use by ${describeOwner(c.process)}`;
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
    if (instanceStatus(rec, own).status === 'running' && !(await fileNewerThan(docker, rec, own))) {
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
    // Containers never started (a copy's `up --no-start`) hold nothing and would be left as strays: they go too.
    const down = opts.down || (own.length > 0 && own.every((c) => c.state === 'created'));
    if (own.length && down) await this.run(rec, ['down'], 'down', opts.onOutput);
    // What stays on the engine, so the message does not claim volumes a `down --volumes` already deleted.
    const volumesLeft = await this.volumes(docker, rec).catch(() => undefined);
    return {
      ...(await this.service.remove(instanceId(rec))),
      removedContainers: own.length > 0 && down,
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
}

/**
 * The instance file changed after its containers were made (setup --reassign, --bind, --force): a
 * running instance is then not "already up" — Compose recreates what changed.
 */
async function fileNewerThan(
  docker: Dockerode,
  rec: InstanceRecord,
  own: readonly ContainerStatus[],
): Promise<boolean> {
  const mtime = await stat(path.join(rec.folder, COMPOSE_FILE)).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  for (const c of own) {
    // The list's Created has whole seconds: after that second, surely newer; before it, surely not.
    if (c.created * 1000 + 1000 < mtime) return true;
    if (mtime < c.created * 1000) continue;
    // Written in the second the container was made (a setup right after an up): its exact time decides. Taken as
    // "not newer", a new volume or port never applied and a reset then found no volume to snapshot.
    const made = await docker
      .getContainer(c.id)
      .inspect()
      .then(
        (i) => Date.parse(i.Created),
        () => 0,
      );
    if (made < mtime) return true;
  }
  return false;
}
