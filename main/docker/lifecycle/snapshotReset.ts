import type Dockerode from 'dockerode';
import { AxiError } from '../../shared/errors';
import { instanceId } from '../../core/registry/instanceRef';
import path from 'node:path';
import type { InstanceRecord } from '../../core/registry/record';
import { composeFileFor, type OutputSink } from '../compose/composeRunner';
import { waitHealthy } from '../compose/health';
import {
  assertSnapshotBelongs,
  listSnapshots,
  takeSnapshot,
  type Snapshot,
  removeSnapshotDir,
} from '../data/snapshots';
import { chooseHelperImage, composeFileImages } from '../data/helperImage';
import { assertOwned } from './ownership';
import { assertHostAccess } from '../compose/hostAccess';
import { clonesAll } from '../data/cloneSupport';
import { dropCloneSnapshot, restoreSnapshot, takeCloneSnapshot } from '../data/cloneSnapshots';
import { volumeNames, type InstanceWithStatus } from './connections';
import { LifecycleUpDown } from './upDown';
import { timed } from '../../core/util/debug';

/** Snapshots, reset and restore: the verbs that keep or put back an instance's data. */
export class LifecycleSnapshots extends LifecycleUpDown {
  /** The image its helper containers run: one of its own, probed (see helperImage.ts). */
  async helperImage(docker: Dockerode, rec: InstanceRecord, what = `read ${rec.name}'s volumes`): Promise<string> {
    const own = (await this.containers(docker, rec)).map((c) => c.image);
    const listed = await composeFileFor(rec.folder).then(composeFileImages, () => []);
    const cacheFile = path.join(this.service.paths.home, 'helper-images.json');
    return chooseHelperImage(docker, [...own, ...listed], what, { cacheFile });
  }

  /**
   * `image`: the helper image when the caller has chosen it already (clone-data), so it is not chosen twice.
   * `move`: volumes whose data the caller replaces next, whose files a clone snapshot may move in (see
   * takeCloneSnapshot): the result's `moved` says which are empty now. `owned`: the caller has just checked that
   * the instance's objects are its own (clone-data), so it is not asked twice.
   */
  async snapshot(
    nameOrDir: string,
    reason = 'manual',
    onOutput?: OutputSink,
    { image, move, owned }: { image?: string; move?: readonly string[]; owned?: boolean } = {},
  ): Promise<Snapshot> {
    const rec = await this.service.find(nameOrDir);
    const { docker } = await this.docker(rec);
    // Side by side: each is a round trip to the engine (the image's refusal said after "no volumes").
    const chosen = image ? Promise.resolve(image) : this.helperImage(docker, rec);
    chosen.catch(() => undefined);
    const [, volumes] = await timed('snapshot checks', () =>
      Promise.all([
        owned ? undefined : assertOwned(docker, rec, this.service.preset, 'snapshot'),
        this.volumes(docker, rec),
      ]),
    );
    if (!volumes.length)
      throw new AxiError('NOT_FOUND', `${await this.service.label(rec)} has no volumes to snapshot yet`);
    const helper = await chosen;
    const root = this.service.paths.snapshotsDir;
    const onVolume = (k: number, name: string) =>
      onOutput?.(`snapshot ${k}/${volumes.length} volumes: ${name}`, 'stderr');
    const opts = { instance: rec.name, volumes, image: helper, root, reason, ...(move ? { move } : {}) };
    if (await timed('snapshot clones', () => clonesAll(docker, helper, this.service.paths.home, volumes))) {
      onOutput?.(`snapshot of ${volumes.length} volumes: cloned (copy-on-write)`, 'stderr');
      return timed('snapshot take', () => takeCloneSnapshot(docker, opts));
    }
    return takeSnapshot(docker, { ...opts, onVolume });
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
    if (snap.kind === 'clone') {
      const { docker } = await this.docker(rec);
      await dropCloneSnapshot(docker, snap, await this.helperImage(docker, rec));
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
    // Side by side: each is a round trip to the engine (the image's refusal said after the manifest's check).
    const chosen = this.helperImage(docker, rec);
    chosen.catch(() => undefined);
    const [present, before] = await Promise.all([this.volumes(docker, rec), this.status(instanceId(rec))]);
    // The manifest is a file on disk: it may name only this instance's volumes and files in its own folder.
    assertSnapshotBelongs(snap, rec.name, new Set([...volumeNames(this.service.preset, rec), ...present]));
    const wasRunning = before.status === 'running' || before.status === 'partial';
    const live = Object.values(before.services).some((s) => ['running', 'paused', 'restarting'].includes(s.state));
    // It starts again: refused before anything is stopped or replaced, as `up` is.
    if (wasRunning) await assertHostAccess(this.service.paths.home, rec, await this.service.label(rec));
    const image = await chosen;
    // The data being replaced is kept first (stopped, so it is consistent), as a reset keeps it: a restore
    // of the wrong snapshot is undone by restoring this one.
    let previous: Snapshot | undefined;
    if (present.length) {
      if (live) await timed('restore stop', () => this.run(rec, ['stop'], 'stop', opts.onOutput));
      previous = await timed('snapshot', () =>
        this.snapshot(instanceId(rec), 'before-restore', opts.onOutput, { image }),
      );
    }
    // Nothing runs and a clone goes back into volumes that are all there: in place, the stopped containers kept
    // (Compose's remove and create are most of a second). Else they are removed first and made again after.
    const inPlace = !live && snap.kind === 'clone' && snap.volumes.every((v) => present.includes(v.name));
    if (!inPlace)
      await timed('restore rm', () => this.run(rec, ['rm', '--stop', '--force'], 'remove containers', opts.onOutput));
    await timed('restore put', () => restoreSnapshot(docker, snap, image));
    if (!inPlace)
      await timed('restore recreate', () =>
        this.run(rec, wasRunning ? ['up', '-d'] : ['up', '--no-start'], 'recreate', opts.onOutput),
      );
    if (wasRunning) await waitHealthy(docker, rec.project, { timeoutMs: opts.timeoutMs ?? 180_000 });
    return { status: await this.status(instanceId(rec)), snapshot: snap, ...(previous ? { previous } : {}) };
  }
}
