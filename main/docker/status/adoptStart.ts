import type Dockerode from 'dockerode';
import { AxiError } from '../../shared/errors';
import { PROJECT_LABEL, SERVICE_LABEL } from '../../core/project/naming';
import type { InstanceLifecycle } from '../lifecycle/lifecycle';
import type { InstanceWithStatus } from '../lifecycle/connections';
import type { OutputSink } from '../compose/composeRunner';
import type { AdoptResult } from './ownStackAdoption';

/**
 * Starts an adopted instance (CLI and window alike) and checks what "same volumes" claims: each service whose
 * data was kept runs in a container that mounts that very volume. Otherwise one line naming the volume, never a
 * success said over a new, empty one.
 */
export async function startAdopted(
  lifecycle: Pick<InstanceLifecycle, 'up'>,
  docker: Dockerode,
  r: AdoptResult,
  onOutput?: OutputSink,
): Promise<InstanceWithStatus> {
  const s = await lifecycle.up(r.name, { wait: true, ...(onOutput ? { onOutput } : {}) });
  await assertMounts(docker, r);
  return s;
}

/** Each kept volume is mounted by its service's container of the instance's project (read back from the engine). */
export async function assertMounts(docker: Dockerode, r: AdoptResult): Promise<void> {
  const kept = Object.entries(r.kept ?? {});
  if (!kept.length) return;
  const list = await docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${r.project}`] } });
  for (const [service, volume] of kept) {
    const c = list.find((x) => x.Labels[SERVICE_LABEL] === service);
    const mounts = c ? (await docker.getContainer(c.Id).inspect()).Mounts.map((m) => m.Name).filter(Boolean) : [];
    if (!mounts.includes(volume))
      throw new AxiError(
        'DOCKER',
        `adopted ${r.name}, but its ${service} ${c ? `mounts ${mounts.join(', ') || 'no volume'}` : 'container is missing'}, not ${volume} (its data, kept untouched): stop it (axi down ${r.name}) and report this`,
      );
  }
}
