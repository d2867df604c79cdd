import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { shellQuote } from '../../core/util/shellQuote';
import { parseEnvFile } from '../../core/compose/composeEnvPorts';
import { composeProjectName } from '../../core/compose/composeProjectName';
import { parsePort } from '../../core/compose/composePorts';
import type { Doc } from '../../core/compose/doc';
import { instanceVolumes } from '../../core/compose/instanceVolumes';
import { isMap } from '../../core/compose/yamlValues';
import { COMPOSE_FILE } from '../../core/project/instanceFiles';
import type { Ports } from '../../core/project/preset';
import { isSeedFile } from '../../shared/schemas/seedFiles';
import { parsedYamlFile } from '../compose/parsedFile';
import { foreignOwner } from '../lifecycle/ownership';
import type { StrayStack } from './strayStack';

/**
 * A seed instance whose containers are gone while its data stays: the seed's own `docker:down`
 * (`docker-compose -f docker-compose.instance.yml down`) removes containers and keeps volumes. Found from the seed's
 * file in the folder: the volumes Compose made for it, named `<project>_<key>` under the project Compose takes for
 * this folder (its `.env`, else the folder's name), as they exist on the engine (none: it never ran; adopted with
 * its ports all the same). Undefined when the file is not the seed's.
 */
export async function seedStackAtRest(docker: Dockerode, folder: string): Promise<StrayStack | undefined> {
  const file = path.join(folder, COMPOSE_FILE);
  if (!isSeedFile(await readFile(file, 'utf8').catch(() => ''))) return undefined;
  const doc = (await parsedYamlFile(file).catch(() => undefined)) as Doc | undefined;
  if (!isMap(doc) || !isMap(doc.services)) return undefined;
  const dotEnv = parseEnvFile(await readFile(path.join(folder, '.env'), 'utf8').catch(() => ''));
  // As the seed's command ran: in the folder, with its .env (the user's environment winning, as Compose has it).
  const project = composeProjectName(doc, { ...dotEnv, ...process.env }, folder);
  const volumes: Record<string, string> = {};
  let foreign: StrayStack['foreign'];
  for (const v of instanceVolumes(doc, project, false)) {
    const info = await docker
      .getVolume(v.name)
      .inspect()
      .catch(() => undefined);
    if (!info) continue;
    volumes[v.key] = v.name;
    const f = foreign ? undefined : foreignOwner(info.Labels ?? undefined, folder);
    if (f) foreign = { what: `volume ${v.name}`, owner: f.owner, fix: f.fix(`status ${shellQuote(folder)}`) };
  }
  return {
    folder,
    project,
    containers: [],
    volumes,
    ports: seedPorts(doc),
    instances: [],
    ...(foreign ? { foreign } : {}),
  };
}

/** Each service's first fixed host port, as the seed's file publishes it (`'5433:5432'`). */
function seedPorts(doc: Doc): Ports {
  const ports: Ports = {};
  for (const [service, def] of Object.entries(doc.services)) {
    const list = isMap(def) && Array.isArray(def.ports) ? def.ports : [];
    for (const spec of list) {
      const p = parsePort(spec, service, {});
      if (p.published !== undefined && Number.isInteger(p.published)) {
        ports[service] = p.published;
        break;
      }
    }
  }
  return ports;
}
