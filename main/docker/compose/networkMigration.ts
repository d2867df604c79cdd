import type Dockerode from 'dockerode';
import { AxiError } from '../../shared/errors';
import { PROJECT_LABEL } from '../../core/project/naming';

/**
 * Compose v2 refuses a network that v1 made: v1 labelled it with the network's full name, v2 expects
 * its key (`network aegisx_mig_net was found but has incorrect label com.docker.compose.network set
 * to "aegisx_mig_net"`). Every user who upgrades Compose meets this on every instance.
 */
const LABEL_MISMATCH = /network (\S+?) was found but has incorrect label com\.docker\.compose\.network/;

export function labelMismatchNetwork(composeOutput: readonly string[]): string | undefined {
  for (const line of composeOutput) {
    const m = LABEL_MISMATCH.exec(line);
    if (m) return m[1]!.replace(/^"|"$/g, '');
  }
  return undefined;
}

/**
 * Clears the way for Compose to recreate `network`: when only `project`'s own containers use it,
 * they and the network are removed (volumes kept; Compose recreates those containers anyway).
 * When another container uses it, nothing is touched and the error says which one and what to run.
 */
export async function releaseStaleNetwork(docker: Dockerode, network: string, project: string): Promise<string[]> {
  const attached = await docker.listContainers({ all: true, filters: { network: [network] } });
  const foreign = attached.filter((c) => c.Labels?.[PROJECT_LABEL] !== project);
  if (foreign.length) {
    const c = foreign[0]!;
    const name = (c.Names?.[0] ?? c.Id).replace(/^\//, '');
    throw new AxiError(
      'DOCKER',
      `network ${network} was made by Compose v1 and is also used by container ${name}; run: docker network disconnect ${network} ${name}, then start again`,
    );
  }
  const removed: string[] = [];
  for (const c of attached) {
    await docker.getContainer(c.Id).remove({ force: true, v: false });
    removed.push((c.Names?.[0] ?? c.Id).replace(/^\//, ''));
  }
  await docker.getNetwork(network).remove();
  return removed;
}
