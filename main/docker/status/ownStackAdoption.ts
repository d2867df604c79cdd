import path from 'node:path';
import type Dockerode from 'dockerode';
import { COMPOSE_FILE } from '../../core/project/instanceFiles';
import { CONFIG_FILES_LABEL, PROJECT_LABEL, SERVICE_LABEL, WORKING_DIR_LABEL } from '../../core/project/naming';
import type { InstanceService } from '../../core/instances/service';
import type { Ports } from '../../core/project/preset';

/** What `axi adopt` did (the seed's stacks in adoption.ts, a folder's own compose stack here). */
export interface AdoptResult {
  readonly name: string;
  readonly folder: string;
  readonly project: string;
  readonly ports: Ports;
  /** The volumes the instance now uses, by service (the stack's own, kept). */
  readonly volumes: Record<string, string>;
  /** The adopted stack's own volumes, by service: its started containers must mount each (`startAdopted`). */
  readonly kept?: Record<string, string>;
  /** Whether the adopted containers were running (the caller starts axi's in their place). */
  readonly wasRunning: boolean;
  readonly steps: string[];
}

/**
 * `axi adopt` of an unregistered folder whose own compose file runs under Compose's own project (a plain
 * `docker compose up` there, told by the working_dir and config_files labels): registered as setup does, on the
 * ports that stack publishes and under the same project, so its containers and volumes stay the instance's.
 * Undefined where there is no such stack, or the folder is registered already (adoptStack's refusal stands).
 */
export async function adoptOwnComposeStack(
  service: InstanceService,
  docker: Dockerode,
  folder: string,
): Promise<AdoptResult | undefined> {
  if ((await service.records()).some((r) => r.folder === folder && !r.engine)) return undefined;
  const own = (await docker.listContainers({ all: true, filters: { label: [PROJECT_LABEL] } })).filter(
    (c) =>
      c.Labels[WORKING_DIR_LABEL] === folder &&
      (c.Labels[CONFIG_FILES_LABEL] ?? '').split(',').every((f) => f && path.basename(f) !== COMPOSE_FILE),
  );
  const projects = [...new Set(own.map((c) => c.Labels[PROJECT_LABEL]!))];
  if (projects.length !== 1) return undefined;
  const files = [...new Set(own.flatMap((c) => c.Labels[CONFIG_FILES_LABEL]!.split(',').map((f) => path.basename(f))))];
  const listed = own.map(
    (c) => `${c.Labels[SERVICE_LABEL] ?? c.Id} (${c.State === 'running' ? 'running' : 'stopped'})`,
  );
  const steps = [
    `found project ${projects[0]} (docker compose up in this folder, ${files.join(' + ')}): ${listed.join(', ')}`,
  ];
  const r = await service.setup(folder, { env: {} });
  steps.push(
    `registered ${r.name} (project ${r.project}) with ports ${Object.entries(r.ports)
      .map(([k, p]) => `${k} ${p}`)
      .join(', ')}`,
    ...r.notes,
  );
  const wasRunning = own.some((c) => c.State === 'running');
  return { name: r.name, folder, project: r.project, ports: r.ports, volumes: {}, wasRunning, steps };
}
