import { cleanupItems, type WindowCleanup } from '../handlers/statsHandlers';
import type { UsageSource } from './statsSampler';
import type { Backend } from '../../docker/lifecycle/backend';
import { applyCleanup, planCleanup, reclaimableBytes, withVolumes } from '../../docker/cleanup/cleanup';
import { readUsage, type VolumeSize } from '../../docker/status/stats';

// The window's stats and cleanup on a real engine: what the controller hands the sampler and the handlers.

/** The Docker side of the sampler: the registry, one container listing, stats and the disk-usage report. */
export function backendUsageSource(backend: Backend): UsageSource {
  let sizes: VolumeSize[] | undefined;
  return {
    async read(previous, disk) {
      const { docker } = await backend.lifecycle.docker();
      const [records, containers] = await Promise.all([backend.service.records(), backend.lifecycle.allContainers()]);
      const r = await readUsage(docker, {
        preset: backend.service.preset,
        records,
        containers,
        previous,
        volumes: disk ? undefined : sizes,
      });
      sizes = r.volumes;
      return { usage: r.usage, readings: r.readings };
    },
    async reclaimable() {
      const { docker } = await backend.lifecycle.docker();
      return reclaimableBytes(await planCleanup(backend.service, docker, sizes));
    },
  };
}

/**
 * The window's cleanup: `axi cleanup --volumes`, planned with fresh sizes. Unowned volumes are offered apart and
 * deleted only by an apply that asks for them (`--volumes --unowned`).
 */
export async function backendCleanup(backend: Backend): Promise<WindowCleanup> {
  const { docker } = await backend.lifecycle.docker();
  const planned = await planCleanup(backend.service, docker);
  const plan = withVolumes(planned);
  return {
    items: cleanupItems(plan),
    unowned: planned.unownedVolumes.map((v) => ({
      kind: 'volume' as const,
      name: v.name,
      detail: null,
      bytes: v.bytes,
    })),
    reclaimableBytes: reclaimableBytes(plan),
    apply: (unowned = false) => applyCleanup(backend.service, docker, unowned ? withVolumes(planned, true) : plan),
  };
}
