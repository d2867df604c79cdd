import { existsSync } from 'node:fs';
import type Dockerode from 'dockerode';
import { AxiError } from '../../shared/errors';
import { ownedByOther, PROJECT_LABEL } from '../../core/project/naming';
import type { InstanceRecord } from '../../core/registry/record';

/**
 * `stop` and `down` of an instance whose folder is gone: Compose needs the file that went with it, so its
 * containers (and network) are found by their project label and stopped or removed through the engine. Volumes
 * are kept: `axi cleanup --volumes` deletes a gone instance's data, saying so first.
 */
export async function withoutFolder(
  docker: Dockerode,
  rec: InstanceRecord,
  verb: 'stop' | 'down',
  volumes = false,
): Promise<string[] | undefined> {
  if (existsSync(rec.folder)) return undefined;
  if (volumes)
    throw new AxiError(
      'BAD_INPUT',
      `folder ${rec.folder} is gone: axi down ${rec.name} removes its containers (volumes kept); axi cleanup --volumes lists its data before deleting it`,
    );
  const list = await docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${rec.project}`] } });
  const own = list.filter((c) => !ownedByOther(c.Labels));
  for (const c of own) {
    const container = docker.getContainer(c.Id);
    if (c.State === 'running' || c.State === 'paused' || c.State === 'restarting')
      await container.stop().catch((err: { statusCode?: number }) => {
        if (err.statusCode !== 304) throw err; // 304: already stopped
      });
    if (verb === 'down') await container.remove({ v: false });
  }
  if (verb === 'down') {
    const nets = await docker.listNetworks({ filters: { label: [`${PROJECT_LABEL}=${rec.project}`] } });
    for (const n of nets.filter((x) => !ownedByOther(x.Labels)))
      await docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined); // still in use by a container of another project: left
  }
  const did = verb === 'stop' ? 'stopped' : 'removed';
  return [
    `folder ${rec.folder} is gone: ${did} its ${own.length} container(s) by label${verb === 'down' ? ' (volumes kept)' : ''}`,
  ];
}
