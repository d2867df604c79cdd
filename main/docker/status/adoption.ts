import { copyFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { shellQuote } from '../../core/util/shellQuote';
import { AxiError } from '../../shared/errors';
import { COMPOSE_FILE, ENV_FILE } from '../../core/project/instanceFiles';
import {
  CONFIG_FILES_LABEL,
  INSTANCE_LABEL,
  instanceNames,
  PROJECT_LABEL,
  registryOf,
  SERVICE_LABEL,
  WORKING_DIR_LABEL,
} from '../../core/project/naming';
import type { Ports } from '../../core/project/preset';
import { NO_SLOT_NOTE } from '../../core/ports/portClaims';
import type { InstanceRecord } from '../../core/registry/record';
import { isSeedFile, seedEnv } from '../../shared/schemas/seedFiles';
import type { InstanceService } from '../../core/instances/service';
import type { SetupResult } from '../../core/instances/serviceTypes';
import { foreignOwner } from '../lifecycle/ownership';
import { adoptOwnComposeStack, type AdoptResult } from './ownStackAdoption';
import { seedStackAtRest } from './seedVolumes';
import type { StrayStack } from './strayStack';

export type { StrayStack };

const madeFromInstanceFile = (c: Dockerode.ContainerInfo) =>
  (c.Labels?.[CONFIG_FILES_LABEL] ?? '').split(',').some((f) => path.basename(f) === COMPOSE_FILE);

/** axi's own containers, made by this registry: with the folder unregistered, doctor re-adopts them as they run. */
const madeByThisRegistry = (c: Dockerode.ContainerInfo) =>
  Boolean(c.Labels?.[INSTANCE_LABEL]) && registryOf(c.Labels) === 'ours';

/** The stacks of local folders that run under another Compose project than their registration's, by folder. */
export async function findStrayStacks(
  docker: Dockerode,
  records: readonly InstanceRecord[],
  only?: string,
): Promise<StrayStack[]> {
  const groups = new Map<string, Dockerode.ContainerInfo[]>();
  for (const c of await docker.listContainers({ all: true, filters: { label: [PROJECT_LABEL] } })) {
    const folder = c.Labels[WORKING_DIR_LABEL];
    const project = c.Labels[PROJECT_LABEL]!;
    if (!folder || (only && folder !== only) || !madeFromInstanceFile(c)) continue;
    if (records.some((r) => !r.engine && r.folder === folder && r.project === project)) continue;
    const key = `${folder}\n${project}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const out: StrayStack[] = [];
  for (const [key, list] of groups) {
    const [folder, project] = key.split('\n') as [string, string];
    // Its registration lost (instances.json deleted): not a seed stack to replace, doctor's 'unregistered' keeps it running.
    if (list.every(madeByThisRegistry) && !records.some((r) => !r.engine && r.folder === folder)) continue;
    out.push(await describeStack(docker, folder, project, list));
  }
  return out;
}

/** Its volumes and ports from each container's own settings (a stopped one's too), and whose it is. */
async function describeStack(
  docker: Dockerode,
  folder: string,
  project: string,
  list: readonly Dockerode.ContainerInfo[],
): Promise<StrayStack> {
  const volumes: Record<string, string> = {};
  const ports: Ports = {};
  const containers: StrayStack['containers'][number][] = [];
  let foreign: StrayStack['foreign'];
  const checkOwner = (what: string, labels: Record<string, string> | undefined) => {
    const f = foreign ? undefined : foreignOwner(labels, folder);
    if (f) foreign = { what, owner: f.owner, fix: f.fix(`status ${shellQuote(folder)}`) };
  };
  for (const c of list) {
    const name = (c.Names?.[0] ?? c.Id).replace(/^\//, '');
    const service = c.Labels[SERVICE_LABEL] ?? name;
    containers.push({ id: c.Id, name, service, running: c.State === 'running' });
    checkOwner(`container ${name}`, c.Labels);
    const info = await docker.getContainer(c.Id).inspect();
    const mount = info.Mounts.find((m) => m.Type === 'volume' && m.Name);
    if (mount?.Name) volumes[service] = mount.Name;
    const bindings = Object.values((info.HostConfig.PortBindings ?? {}) as Record<string, { HostPort?: string }[]>);
    const binding = bindings.flat().find((b) => /^\d+$/.test(b?.HostPort ?? ''));
    if (binding) ports[service] = Number(binding.HostPort);
  }
  for (const name of Object.values(volumes)) {
    const v = await docker.getVolume(name).inspect();
    checkOwner(`volume ${name}`, v.Labels ?? undefined);
  }
  const instances = [...new Set(list.flatMap((c) => (c.Labels[INSTANCE_LABEL] ? [c.Labels[INSTANCE_LABEL]] : [])))];
  return { folder, project, containers, volumes, ports, instances, ...(foreign ? { foreign } : {}) };
}

export type { AdoptResult };

/**
 * The seed's `.env.local` instance name and the ports it gave each service (`API_PORT=3334`: the app's own ports
 * too, which no container publishes), when its files are the seed's.
 */
async function seedInstance(
  folder: string,
  services: readonly string[],
): Promise<{ seed: boolean; name?: string; ports: Ports }> {
  const text = await readFile(path.join(folder, ENV_FILE), 'utf8').catch(() => '');
  const compose = await readFile(path.join(folder, COMPOSE_FILE), 'utf8').catch(() => '');
  const seed = isSeedFile(text) || isSeedFile(compose);
  const env = seed ? seedEnv(text) : {};
  const ports: Ports = {};
  for (const s of services) {
    const port = Number(env[`${s.toUpperCase()}_PORT`]);
    if (Number.isInteger(port) && port > 0 && port < 65536) ports[s] = port;
  }
  return { seed, ...(env.INSTANCE_NAME ? { name: env.INSTANCE_NAME } : {}), ports };
}

/**
 * Takes over the stack a folder's `docker-compose.instance.yml` runs under another project (the seed's own
 * instance, or the seed's command on axi's file): registers the folder with the ports the stack publishes and the
 * volumes its data is in (by their real names, never emptied), then replaces its containers (volumes kept). Refuses,
 * changing nothing, when any of it is another registry's, folder's or user's.
 */
export async function adoptStack(service: InstanceService, docker: Dockerode, dir: string): Promise<AdoptResult> {
  const folder = path.resolve(dir);
  const records = await service.records();
  const stacks = await findStrayStacks(docker, records, folder);
  const own = stacks.length ? undefined : await adoptOwnComposeStack(service, docker, folder);
  if (own) return own;
  // The seed's `docker:down` left no container, only its data: adopted all the same, by its volumes (a seed instance
  // that never ran, by its ports).
  const atRest = stacks.length ? undefined : await seedStackAtRest(docker, folder);
  if (atRest) stacks.push(atRest);
  if (!stacks.length)
    throw new AxiError(
      'NOT_FOUND',
      `no stack made from ${path.join(folder, COMPOSE_FILE)} runs outside its registration: nothing to adopt`,
    );
  if (stacks.length > 1)
    throw new AxiError(
      'BAD_INPUT',
      `${folder} runs under ${stacks.length} Compose projects (${stacks.map((s) => s.project).join(', ')}): stop all but one (docker compose -p PROJECT down, volumes kept), then adopt`,
    );
  const stack = stacks[0]!;
  if (stack.foreign)
    throw new AxiError(
      'NOT_OURS',
      `refused: ${stack.foreign.what} of project ${stack.project} belongs to ${stack.foreign.owner}, not to this registry; run it there: ${stack.foreign.fix}`,
    );
  const rec = records.find((r) => r.folder === folder && !r.engine);
  const other = stack.instances.find((n) => n !== (rec?.name ?? n));
  if (rec && other)
    // A registration is never rewritten into another instance (a --replace leaves the old one's containers).
    throw new AxiError(
      'NOT_OURS',
      `refused: project ${stack.project} holds axi's containers of instance ${other}, not of ${rec.name} registered in ${folder}; remove them with docker compose -p ${stack.project} down (volumes kept), or axi setup ${shellQuote(folder)} --replace`,
    );
  const steps: string[] = [];
  const seed = await seedInstance(
    folder,
    service.preset.services.map((s) => s.name),
  );
  if (seed.seed) steps.push(`found the seed's instance files in ${folder} (replaced; .bak copies kept)`);
  steps.push(
    stack.containers.length
      ? `found project ${stack.project}: ${stack.containers.map((c) => `${c.name} (${c.running ? 'running' : 'stopped'})`).join(', ')}`
      : Object.keys(stack.volumes).length
        ? `found project ${stack.project}'s volumes, its containers removed: ${Object.values(stack.volumes).join(', ')}`
        : `found no container or volume of project ${stack.project}: it never ran here, so only its ports are kept`,
  );
  // What the containers publish, and the app's ports the seed's .env.local gave (its dev servers use them).
  const ports = portsToKeep({ ...stack, ports: { ...seed.ports, ...stack.ports } }, records, rec, steps);
  const r = await service.setup(folder, {
    env: {},
    force: seed.seed,
    // The seed's files describe the AegisX stack: never the repository's own compose file (a seed clone has the
    // base docker-compose.yml, whose container names and volumes are the main checkout's).
    ...(seed.seed ? { template: 'aegisx' } : {}),
    ...((rec?.name ?? stack.instances[0] ?? seed.name) ? { name: rec?.name ?? stack.instances[0] ?? seed.name } : {}),
    ...(ports ? { adoptPorts: ports } : {}),
    volumeNames: stack.volumes,
  });
  steps.push(
    `registered ${r.name} (project ${r.project}) with ports ${Object.entries(r.ports)
      .map(([k, p]) => `${k} ${p}`)
      .join(', ')}`,
  );
  steps.push(...r.notes.filter((n) => n.startsWith(NO_SLOT_NOTE)));
  const volumes = instanceNames(service.preset, { ...r, volumeNames: stack.volumes }).volumes;
  await assertKeepsVolumes(service, r.name, folder, stack).catch((err: unknown) => undoSetup(service, r, err, !rec));
  for (const [svc, v] of Object.entries(stack.volumes)) steps.push(`kept volume ${v} (${svc}'s data) as ${r.name}'s`);
  await removeContainers(docker, stack, steps);
  return {
    name: r.name,
    folder,
    project: r.project,
    ports: r.ports,
    volumes,
    kept: stack.volumes,
    wasRunning: stack.containers.some((c) => c.running),
    steps,
  };
}

/**
 * Adoption stopped before a container was removed: a registration it made goes and the folder's files are put
 * back from their `.bak` copies (created ones removed), so the seed's files are there for the next try.
 */
async function undoSetup(service: InstanceService, r: SetupResult, err: unknown, made: boolean): Promise<never> {
  if (made) await service.remove(r.folder); // a registration the folder had before adoption stays
  for (const [file, outcome] of Object.entries(r.written)) {
    const target = path.resolve(r.folder, file);
    if (outcome === 'replaced') await copyFile(`${target}.bak`, target);
    else if (outcome === 'created') await rm(target, { force: true });
  }
  throw err;
}

/**
 * The registered instance's stack names every volume the adopted one keeps its data in, or adoption stops here,
 * before a container is removed: the seed's stack still runs on its data, untouched.
 */
async function assertKeepsVolumes(service: InstanceService, name: string, folder: string, stack: StrayStack) {
  const rec = (await service.records()).find((i) => i.name === name && i.folder === folder);
  const missing = Object.entries(stack.volumes).find(([, v]) => !rec?.volumes?.includes(v));
  if (missing)
    throw new AxiError(
      'NOT_OURS',
      `adoption stopped: the instance file made for ${folder} does not use volume ${missing[1]} (${missing[0]}'s data); nothing was registered, the folder's files are as they were, and project ${stack.project} still runs on its data`,
    );
}

/** The stack's own ports, unless another registration holds one of them (then setup allocates, and says so). */
function portsToKeep(
  stack: StrayStack,
  records: readonly InstanceRecord[],
  rec: InstanceRecord | undefined,
  steps: string[],
): Ports | undefined {
  if (!Object.keys(stack.ports).length) return undefined;
  for (const other of records) {
    if (other === rec || other.engine) continue;
    const held = Object.entries(stack.ports).find(([, p]) => Object.values(other.ports).includes(p));
    if (held) {
      steps.push(`port ${held[1]} (${held[0]}) is registered to ${other.name}: allocated new ports`);
      return undefined;
    }
  }
  return stack.ports;
}

/** Stops and removes the adopted containers and their network; volumes are never touched. */
async function removeContainers(docker: Dockerode, stack: StrayStack, steps: string[]): Promise<void> {
  if (!stack.containers.length) return;
  for (const c of stack.containers) {
    const container = docker.getContainer(c.id);
    if (c.running) await container.stop({ t: 10 }).catch(() => undefined);
    await container.remove({ v: false, force: true });
  }
  steps.push(`removed the containers ${stack.containers.map((c) => c.name).join(', ')} (volumes kept)`);
  const nets = await docker.listNetworks({ filters: { label: [`${PROJECT_LABEL}=${stack.project}`] } });
  for (const n of nets) {
    const removed = await docker
      .getNetwork(n.Id)
      .remove()
      .then(
        () => true,
        () => false, // still used by something else: it stays
      );
    if (removed) steps.push(`removed network ${n.Name}`);
  }
}
