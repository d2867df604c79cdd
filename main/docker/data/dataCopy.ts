import type Dockerode from 'dockerode';
import { AxiError } from '../../shared/errors';
import { instanceId } from '../../core/registry/instanceRef';
import type { InstanceRecord } from '../../core/registry/record';
import { CopyFailed, pairVolumes, type CopiedVolume, type VolumePair } from './cloneData';
import { copyLine, copyRoute, runCopy } from './copyRoute';
import { keyedVolumes, volumePlan, type VolumePlan } from './volumeMatch';
import { markedCopyPause } from './copyPauses';
import { assertOwned, engineObjects } from '../lifecycle/ownership';
import type { OutputSink } from '../compose/composeRunner';
import type { InstanceWithStatus } from '../lifecycle/connections';
import type { LifecycleSnapshots } from '../lifecycle/snapshotReset';
import { restoreSnapshot } from './cloneSnapshots';
import { engineKey } from './cloneSupport';
import { timed } from '../../core/util/debug';
import type { Snapshot } from './snapshots';

export interface CloneDataOptions {
  /** `false` (`--no-snapshot`): TARGET's data is replaced without a snapshot kept. */
  snapshot?: boolean;
  /** Start TARGET once the copy is verified, and wait for its health as `up --wait` does. */
  start?: boolean;
  onOutput?: OutputSink;
}

export interface CloneDataResult {
  pairs: VolumePair[];
  /** Each pair verified: the entries and bytes both sides hold. */
  copied: CopiedVolume[];
  unmatched: string[];
  snapshot?: Snapshot;
  pausedMs: number;
  /** TARGET after its start (with `start`). */
  status?: InstanceWithStatus;
}

export interface CloneDataPlan {
  source: InstanceRecord;
  target: InstanceRecord;
  pairs: VolumePair[];
  unmatched: string[];
  /** Why nothing can be copied, with the next step (when `pairs` is empty). */
  reason?: string;
}

/** SOURCE as the user named it: an instance, a folder, or `main`, the main checkout of TARGET's repository. */
export async function dataSource(
  lc: LifecycleSnapshots,
  source: string,
  target: InstanceRecord,
): Promise<InstanceRecord> {
  if (source !== 'main') return lc.service.find(source);
  const { mainWorktreePath } =
    require('../../core/worktrees/worktrees') as typeof import('../../core/worktrees/worktrees');
  const mainPath = await mainWorktreePath(target.folder);
  const records = await lc.service.records();
  // Git knows the main checkout; without git, the registration marked main of the same repository.
  const main = mainPath
    ? records.find((r) => r.folder === mainPath)
    : records.find((r) => !r.suffix && r.base !== undefined && r.base === target.base);
  if (!main)
    throw new AxiError(
      'NOT_FOUND',
      `the main checkout of ${await lc.service.label(target)}'s repository is not registered; run axi setup on it first`,
    );
  return main;
}

/**
 * What a copy would do, without doing it: SOURCE's volumes paired with TARGET's as its file makes them (a target
 * never started has none yet: Compose makes them on the copy), or why nothing can be copied.
 */
export async function planCloneData(lc: LifecycleSnapshots, source: string, target: string): Promise<CloneDataPlan> {
  const tgt = await lc.service.find(target);
  const src = await dataSource(lc, source, tgt);
  const { pairs, unmatched, reason } = await volumePlan(lc, await lc.copyEngines(src, tgt), src, tgt);
  return { source: src, target: tgt, pairs, unmatched, ...(reason ? { reason } : {}) };
}

/** TARGET checked (another instance, stopped): refused before anything is made. */
async function checkTarget(lc: LifecycleSnapshots, src: InstanceRecord, tgt: InstanceRecord, docker: Dockerode) {
  const tgtLabel = await lc.service.label(tgt);
  if (instanceId(src) === instanceId(tgt))
    throw new AxiError('BAD_INPUT', `cannot copy ${tgtLabel}'s data into itself`);
  const busy = (await lc.containers(docker, tgt)).some((c) => ['running', 'paused', 'restarting'].includes(c.state));
  if (busy)
    throw new AxiError(
      'IN_USE',
      `${tgtLabel} is running; stop it first (axi stop ${tgtLabel}), then copy data into it`,
      {
        reason: `${tgtLabel} is running`,
        fix: { action: 'stop', target: tgtLabel },
      },
    );
}

/**
 * The pairs to copy (`plan`), checked before anything is made; then TARGET's volumes (and containers, not started) made
 * under the names its own file gives them, unless they are all there already: Compose's start-up is most of a
 * small copy's time. Also which of TARGET's volumes held data before.
 */
async function prepareVolumes(
  lc: LifecycleSnapshots,
  engines: { from: Dockerode; to: Dockerode },
  src: InstanceRecord,
  tgt: InstanceRecord,
  plan: VolumePlan,
  onOutput?: OutputSink,
) {
  if (!plan.pairs.length) throw new AxiError('NOT_FOUND', plan.reason ?? 'no volume to copy');
  const existed = new Set(plan.target.present.map((v) => v.name));
  if (plan.target.model.every((v) => existed.has(v.name))) return { ...plan, existed };
  await lc.run(tgt, ['up', '--no-start'], 'create', onOutput);
  const made = await keyedVolumes(engines.to, tgt);
  const { pairs, unmatched } = pairVolumes(plan.source.present, made.present);
  const missing = plan.pairs.filter((p) => !pairs.some((q) => q.to === p.to)).map((p) => p.to);
  if (missing.length)
    throw new AxiError(
      'DOCKER',
      `Compose did not create ${missing.join(', ')} for ${await lc.service.label(tgt)}: check its instance file (axi doctor)`,
    );
  return { pairs, unmatched, existed };
}

/**
 * Copies SOURCE's volumes into TARGET's matching ones, after a snapshot of TARGET's when any of them existed
 * before (unless `snapshot: false`), and verifies each: a copy that fails or differs puts TARGET back from that
 * snapshot. TARGET must be stopped; SOURCE's running containers that mount a copied volume are paused only for
 * the copy and its tally, unpaused whatever happens. No other instance's volume is mounted.
 */
export async function cloneData(
  lc: LifecycleSnapshots,
  source: string,
  target: string,
  opts: CloneDataOptions = {},
): Promise<CloneDataResult> {
  const tgt = await timed('find', () => lc.service.find(target));
  const src = await timed('source', () => dataSource(lc, source, tgt));
  const engines = await timed('engines', () => lc.copyEngines(src, tgt));
  const docker = engines.to;
  // Independent questions to the engines go side by side: each is a round trip, and a copy is mostly those. All
  // only read; each settled before any answer is acted on, and a refusal said in a fixed order (ownership first).
  // On one engine, both ownership checks read one listing of its objects. The engine's id (`docker info`, a slow
  // call the clone support is remembered by) asked meanwhile.
  const listed = engineObjects(docker);
  listed.catch(() => undefined);
  if (engines.from === docker) engineKey(docker).catch(() => undefined);
  const checks = await timed('checks', () =>
    Promise.allSettled([
      assertOwned(engines.from, src, lc.service.preset, 'clone-data', engines.from === docker ? listed : undefined),
      assertOwned(docker, tgt, lc.service.preset, 'clone-data', listed),
      checkTarget(lc, src, tgt, docker),
      volumePlan(lc, engines, src, tgt),
    ]),
  );
  for (const c of checks) if (c.status === 'rejected') throw c.reason;
  const plan = (checks[3] as PromiseFulfilledResult<VolumePlan>).value;
  const { pairs, unmatched, existed } = await timed('target', () =>
    prepareVolumes(lc, engines, src, tgt, plan, opts.onOutput),
  );
  const route = await copyRoute(lc, engines, src, tgt, pairs);
  // Volumes made just now hold nothing to keep. Where this process clones the folders, the targets' files are
  // moved into the snapshot rather than cloned (one clone per copy): the copy fills the emptied volumes.
  const snapshot =
    opts.snapshot !== false && pairs.some((p) => existed.has(p.to))
      ? await timed('snapshot', () =>
          lc.snapshot(instanceId(tgt), 'clone-data', opts.onOutput, {
            image: route.image,
            owned: true, // checked above, in this copy
            ...(route.host ? { move: pairs.map((p) => p.to) } : {}),
          }),
        )
      : undefined;
  opts.onOutput?.(await copyLine(lc, src, tgt, route, pairs), 'stderr');
  const copy = () => runCopy(route, engines, src, tgt, pairs);
  let done: { copied: CopiedVolume[]; pausedMs: number };
  try {
    // Marked, so every window shows the source "paused for a copy", not stopped or failed.
    done = await timed('copy', () =>
      route.running.length ? markedCopyPause(lc.service.paths.home, src.project, copy) : copy(),
    );
  } catch (err) {
    // Files the snapshot moved are in the snapshot only: TARGET is put back whatever failed.
    if (!snapshot?.moved?.length && !(err instanceof CopyFailed && err.touched)) throw err;
    throw await putBack(lc, tgt, docker, route.image, snapshot, err as Error, opts.onOutput);
  }
  const result: CloneDataResult = { pairs, unmatched, snapshot, ...done };
  if (opts.start) result.status = await lc.up(instanceId(tgt), { wait: true, onOutput: opts.onOutput });
  return result;
}

/** A failed copy: TARGET put back from the snapshot taken before; the error says so (or why it could not). */
async function putBack(
  lc: LifecycleSnapshots,
  tgt: InstanceRecord,
  docker: Dockerode,
  image: string,
  snapshot: Snapshot | undefined,
  err: Error,
  onOutput?: OutputSink,
): Promise<AxiError> {
  const who = await lc.service.label(tgt);
  if (!snapshot)
    return new AxiError(
      'DOCKER',
      `${err.message}; ${who} held no data before, or no snapshot was asked for: it may hold part of the copy`,
    );
  try {
    onOutput?.(`putting ${who}'s data back from snapshot ${snapshot.id}`, 'stderr');
    await lc.run(tgt, ['rm', '--stop', '--force'], 'remove containers', onOutput);
    await restoreSnapshot(docker, snapshot, image);
    await lc.run(tgt, ['up', '--no-start'], 'recreate', onOutput);
    return new AxiError('DOCKER', `${err.message}; ${who}'s data was restored from snapshot ${snapshot.id}`);
  } catch (again) {
    return new AxiError(
      'DOCKER',
      `${err.message}; restoring ${who} from snapshot ${snapshot.id} failed too (${(again as Error).message}): run axi restore ${who} ${snapshot.id}`,
    );
  }
}
