import path from 'node:path';
import type Dockerode from 'dockerode';
import { engineLabel } from '../../shared/display/engine';
import type { InstanceRecord } from '../../core/registry/record';
import type { LifecycleSnapshots } from '../lifecycle/snapshotReset';
import { timed } from '../../core/util/debug';
import { copyVolumes, type CopiedVolume, type VolumePair } from './cloneData';
import { cloneSupport, volumeClones } from './cloneSupport';
import { copyAcrossEngines } from './copyAcross';
import { cloneOnHost, hostFolders } from './hostClones';

/** How a copy runs, decided (and its helpers probed) before anything is kept or changed. */
export interface CopyRoute {
  across: boolean;
  /** The helper image on TARGET's engine, and on SOURCE's (across engines). */
  image: string;
  srcImage: string;
  /** SOURCE's containers to pause. */
  running: string[];
  /** Per pair: it clones. */
  clones: boolean[];
  /** Each pair's folders, where this process clones them itself. */
  host?: { from: string; to: string }[];
}

export async function copyRoute(
  lc: LifecycleSnapshots,
  engines: { from: Dockerode; to: Dockerode },
  src: InstanceRecord,
  tgt: InstanceRecord,
  pairs: readonly VolumePair[],
): Promise<CopyRoute> {
  const [srcLabel, tgtLabel] = [await lc.service.label(src), await lc.service.label(tgt)];
  const across = engines.from !== engines.to;
  // Both helpers chosen (and probed) before anything is kept or changed: a refusal leaves it all as it was. What the
  // volumes can do is asked meanwhile (the helper image is needed only to probe an engine never probed before).
  const images = timed('image', () =>
    Promise.all([
      lc.helperImage(engines.to, tgt, `copy data into ${tgtLabel}`),
      across ? lc.helperImage(engines.from, src, `read ${srcLabel}'s volumes`) : undefined,
    ]),
  );
  const target = images.then(([i]) => i);
  target.catch(() => undefined); // awaited only for a probe; a refusal is said through `images`
  const [[image, srcOwn], running, { clones, dirs }] = await Promise.all([
    images,
    timed('running', () => toPause(lc, engines.from, src, pairs)),
    across
      ? { clones: pairs.map(() => false), dirs: undefined }
      : timed('clones', () => clonesOf(lc, engines.to, target, pairs)),
  ]);
  const host = dirs && pairs.map((_, i) => ({ from: dirs[2 * i]!, to: dirs[2 * i + 1]! }));
  return { across, image, srcImage: srcOwn ?? image, running, clones, ...(host ? { host } : {}) };
}

/**
 * SOURCE's running containers that mount a copied volume: only they are paused (a crash-consistent copy); the
 * others, which cannot write those volumes, keep serving. One whose mounts are unknown is paused.
 */
async function toPause(lc: LifecycleSnapshots, docker: Dockerode, src: InstanceRecord, pairs: readonly VolumePair[]) {
  const copied = new Set(pairs.map((p) => p.from));
  return (await lc.containers(docker, src))
    .filter((c) => c.state === 'running' && (!c.volumes || c.volumes.some((v) => copied.has(v))))
    .map((c) => c.id);
}

/** The progress line: what is cloned or copied, the route, and whether the source is paused meanwhile. */
export async function copyLine(
  lc: LifecycleSnapshots,
  src: InstanceRecord,
  tgt: InstanceRecord,
  r: CopyRoute,
  pairs: readonly VolumePair[],
) {
  const route = r.across
    ? ` from engine ${engineLabel(src.engine)} to ${engineLabel(tgt.engine)}, through this machine`
    : '';
  const paused = r.running.length ? ` (${await lc.service.label(src)} paused meanwhile)` : '';
  const told = pairs.map((p, i) => `${r.clones[i] ? 'cloning (copy-on-write)' : 'copying'} ${p.from} → ${p.to}`);
  return `${told.join(', ')}${route}${paused}`;
}

export function runCopy(
  r: CopyRoute,
  engines: { from: Dockerode; to: Dockerode },
  src: InstanceRecord,
  tgt: InstanceRecord,
  pairs: readonly VolumePair[],
): Promise<{ copied: CopiedVolume[]; pausedMs: number }> {
  if (r.across)
    return copyAcrossEngines(
      { docker: engines.from, image: r.srcImage, instance: src.name },
      { docker: engines.to, image: r.image, instance: tgt.name },
      pairs,
      r.running,
    );
  if (r.host) return cloneOnHost(engines.to, pairs, r.host, r.running);
  return copyVolumes(engines.to, pairs, r.image, tgt.name, r.running, r.clones);
}

/**
 * Per pair, decided before anything starts: both volumes on a data root whose file system clones; and where every
 * pair clones and this machine reaches the folders, those folders (the file system does it, no helper container).
 */
async function clonesOf(
  lc: LifecycleSnapshots,
  docker: Dockerode,
  image: Promise<string>,
  pairs: readonly VolumePair[],
) {
  const support = await cloneSupport(docker, image, path.join(lc.service.paths.home, 'clone-support.json'));
  if (!support.clones) return { clones: pairs.map(() => false), dirs: undefined };
  const volumes = pairs.flatMap((p) => [p.from, p.to]);
  const infos = await Promise.all(volumes.map((v) => docker.getVolume(v).inspect()));
  const clones = pairs.map((_, i) => volumeClones(infos[2 * i]!, support) && volumeClones(infos[2 * i + 1]!, support));
  const dirs = clones.every(Boolean)
    ? await hostFolders(docker, volumes, support.local, process.env, infos)
    : undefined;
  return { clones, dirs };
}
