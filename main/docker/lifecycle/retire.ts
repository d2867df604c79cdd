import type Dockerode from 'dockerode';
import { instanceId } from '../../core/registry/instanceRef';
import type { InstanceRecord } from '../../core/registry/record';
import type { InstanceService } from '../../core/instances/service';
import { volumeNames } from './connections';
import { chooseHelperImage } from '../data/helperImage';
import { takeSnapshot, type Snapshot } from '../data/snapshots';
import path from 'node:path';
import { PROJECT_LABEL } from '../../core/project/naming';
import { foreignOwner } from './ownership';

export interface Retired {
  containers: string[];
  networks: string[];
  volumes: string[];
  /** What its project or names reach but another registry, folder or user owns: left alone, said with whose. */
  skipped: string[];
  snapshot?: Snapshot;
}

/**
 * Removes everything of an instance whose checkout is gone (its compose file with it), by the engine's
 * labels: containers, networks, then volumes, after a snapshot when asked. Then forgets the registration.
 * Only objects of its own Compose project are touched, and of those only the ones no other registry, folder or
 * user owns (the one rule, `foreignOwner`): a CI job's same-named project is skipped and named in `skipped`.
 */
export async function retireInstance(
  docker: Dockerode,
  service: InstanceService,
  rec: InstanceRecord,
  opts: { snapshot: boolean },
): Promise<Retired> {
  const filters = JSON.stringify({ label: [`${PROJECT_LABEL}=${rec.project}`] });
  const skipped: string[] = [];
  const mine = (kind: string, name: string, labels: Record<string, string> | undefined): boolean => {
    const f = foreignOwner(labels, rec.folder);
    if (f) skipped.push(`${kind} ${name} (belongs to ${f.owner})`);
    return !f;
  };
  const containers = (await docker.listContainers({ all: true, filters })).filter(
    (c) =>
      c.Labels?.[PROJECT_LABEL] === rec.project &&
      mine('container', (c.Names?.[0] ?? c.Id).replace(/^\//, ''), c.Labels),
  );
  const own = new Set(volumeNames(service.preset, rec));
  const { Volumes } = await docker.listVolumes();
  const volumes = (Volumes ?? [])
    .filter((v) => (v.Labels?.[PROJECT_LABEL] === rec.project || own.has(v.Name)) && mine('volume', v.Name, v.Labels))
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
  const networks = (await docker.listNetworks({ filters })).filter(
    (n) => n.Labels?.[PROJECT_LABEL] === rec.project && mine('network', n.Name, n.Labels),
  );
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
    skipped,
    snapshot,
  };
}
