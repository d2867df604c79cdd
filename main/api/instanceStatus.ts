import { expectedServices } from '../docker/lifecycle';
import { deriveStatus, type ContainerStatus, type InstanceStatus } from '../docker/status';
import type { InstanceRecord } from '../engine/registry';

/**
 * An instance's status from its registration and its containers: the one
 * derivation the window, the tray and notifications see. `containers` are the
 * instance's (its Compose project's), or undefined while the Docker engine's
 * state is unknown. Pure: no Docker, no file system.
 */
export function instanceStatus(rec: Pick<InstanceRecord, 'name' | 'services'>, containers: readonly ContainerStatus[] | undefined): InstanceStatus {
  return deriveStatus(rec.name, containers, expectedServices(rec));
}
