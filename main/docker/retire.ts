import type Dockerode from 'dockerode';
import { instanceId } from '../core/instanceRef';
import type { InstanceRecord } from '../core/registry';
import type { InstanceService } from '../core/service';
import { volumeNames } from './lifecycle';
import { chooseHelperImage } from './helperImage';
import { takeSnapshot, type Snapshot } from './snapshots';
import path from 'node:path';
import { PROJECT_LABEL } from '../core/naming';

export interface Retired {
  containers: string[];
  networks: string[];
  volumes: string[];
  snapshot?: Snapshot;
}

/**
 * Removes everything of an instance whose checkout is gone (its compose file with it), by the engine's
 * labels: containers, networks, then volumes, after a snapshot when asked. Then forgets the registration.
 * Only objects of its own Compose project are touched.
 */
export async function retireInstance(
  docker: Dockerode,
  service: InstanceService,
  rec: InstanceRecord,
  opts: { snapshot: boolean },
): Promise<Retired> {
  const filters = JSON.stringify({ label: [`${PROJECT_LABEL}=${rec.project}`] });
  const containers = (await docker.listContainers({ all: true, filters })).filter(
    (c) => c.Labels?.[PROJECT_LABEL] === rec.project,
  );
  const own = new Set(volumeNames(service.preset, rec));
  const { Volumes } = await docker.listVolumes();
  const volumes = (Volumes ?? [])
    .filter((v) => v.Labels?.[PROJECT_LABEL] === rec.project || own.has(v.Name))
    .map((v) => v.Name)
    .sort();
  let snapshot: Snapshot | undefined;
  if (opts.snapshot && volumes.length) {
    // One of its own images reads the volumes (its checkout, with its compose file, is gone).
    const image = await chooseHelperImage(
      docker,
      containers.map((c) => c.Image),
      `snapshot ${rec.name}'s volumes (nothing was removed)`,
      { cacheFile: path.join(service.paths.home, 'helper-images.json') },
    );
    for (const c of containers)
      if (c.State === 'running' || c.State === 'paused')
        await docker
          .getContainer(c.Id)
          .stop()
          .catch(() => undefined);
    snapshot = await takeSnapshot(docker, {
      instance: rec.name,
      volumes,
      image,
      root: service.paths.snapshotsDir,
      reason: 'worktree removed',
    });
  }
  for (const c of containers) await docker.getContainer(c.Id).remove({ force: true, v: false });
  const networks = (await docker.listNetworks({ filters })).filter((n) => n.Labels?.[PROJECT_LABEL] === rec.project);
  for (const n of networks)
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
  for (const v of volumes) await docker.getVolume(v).remove();
  await service.remove(instanceId(rec));
  return {
    containers: containers.map((c) => (c.Names?.[0] ?? c.Id).replace(/^\//, '')),
    networks: networks.map((n) => n.Name),
    volumes,
    snapshot,
  };
}
