import path from 'node:path';
import type Dockerode from 'dockerode';
import type { InstanceRecord } from '../../core/registry/record';
import { knownCloneSupport } from '../data/cloneSupport';
import { volumeExclusiveSizes } from '../data/exclusiveSizes';
import type { InstanceLifecycle } from '../lifecycle/lifecycle';
import { readVolumeSizes, type VolumeSize } from './stats';

/**
 * Each Compose volume's exclusive size added to the engine's report (issue 27), where the engine's volumes are
 * known to clone (probed by a copy, a snapshot or `axi doctor`): one helper container measures them all. Other
 * engines are left as they are, without a container; where no helper image can run, the figures are apparent only.
 */
export async function addOwnSizes(
  lc: Pick<InstanceLifecycle, 'service' | 'helperImage'>,
  docker: Dockerode,
  /** The registrations on this engine (a helper image is one of theirs). */
  records: readonly InstanceRecord[],
  sizes: VolumeSize[],
): Promise<VolumeSize[]> {
  const cacheFile = path.join(lc.service.paths.home, 'clone-support.json');
  const support = await knownCloneSupport(docker, cacheFile).catch(() => undefined);
  const measured = sizes.filter((v) => v.project);
  if (!support?.clones || !measured.length) return sizes;
  let image: string | undefined;
  for (const rec of records) {
    image = await lc.helperImage(docker, rec).catch(() => undefined);
    if (image) break;
  }
  const own = image
    ? await volumeExclusiveSizes(
        docker,
        image,
        measured.map((v) => v.name),
      ).catch(() => [])
    : [];
  const byName = new Map(measured.map((v, i) => [v.name, own[i]?.exclusive ?? null]));
  return sizes.map((v) => (byName.has(v.name) ? { ...v, exclusive: byName.get(v.name) } : v));
}

/** The engine's disk-usage report with the exclusive sizes added (see addOwnSizes). */
export async function readOwnSizes(
  lc: Pick<InstanceLifecycle, 'service' | 'helperImage'>,
  docker: Dockerode,
  records: readonly InstanceRecord[],
): Promise<VolumeSize[]> {
  return addOwnSizes(lc, docker, records, await readVolumeSizes(docker));
}
