import type Dockerode from 'dockerode';
import { fromListEntry, type ContainerStatus } from '../../main/docker/status/status';

/**
 * A container as the engine's list call returns it (`GET /containers/json`), read the way axi reads
 * it: the tests start from Docker's own shape, not from ours.
 */
export function container(
  service: string,
  status: string,
  state = status.startsWith('Up') ? 'running' : 'exited',
  project = 'shop_feature_x',
  ports: Dockerode.Port[] = [],
): ContainerStatus {
  const info: Dockerode.ContainerInfo = {
    Id: `${project}-${service}-id`,
    Names: [`/${project}-${service}-1`],
    Image: `${service}:latest`,
    ImageID: 'sha256:0',
    Command: '',
    Created: 1_700_000_000,
    Ports: ports,
    Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': service },
    State: state,
    Status: status,
    HostConfig: { NetworkMode: 'bridge' },
    NetworkSettings: { Networks: {} },
    Mounts: [],
  };
  return fromListEntry(info);
}
