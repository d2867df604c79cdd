import path from 'node:path';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { portPlan, unprivilegedBase, type PublishedPort } from './composePorts';
import { composeProjectName } from './composeProjectName';
import { isMap, isList } from './yamlValues';
import { loadComposeSource, type ComposeSource } from './composeSource';
import { transformCompose } from './composeTransform';
import { parseEnvFile } from './composeEnvPorts';
import { readRepoYaml as readRepoFile } from '../project/userFiles';
import { genericEnvFile, localStamp } from '../instances/setup/generator';
import { COMPOSE_FILE, type GeneratedFile } from '../project/instanceFiles';
import { objectLabels, originLabels } from '../project/naming';
import type { Preset } from '../project/preset';
import type { InstanceRecord } from '../registry/record';
import { type RepoConfig } from '../project/repoConfig';
import type { Stack, StackRequest } from './stackTypes';
import { originHeader, portEnvNames } from './stackNames';

async function dotEnv(dir: string): Promise<Record<string, string>> {
  return parseEnvFile(await readFile(path.join(dir, '.env'), 'utf8').catch(() => ''));
}

/** The variables of every env file the services read (inside the repository; a missing one is Compose's to report). */
async function serviceEnvFiles(folder: string, source: ComposeSource): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  for (const def of Object.values(source.doc.services)) {
    const files = isList(def?.env_file) ? def.env_file : typeof def?.env_file === 'string' ? [def.env_file] : [];
    for (const f of files) {
      const written = typeof f === 'string' ? f : isMap(f) && typeof f.path === 'string' ? f.path : undefined;
      if (!written || out.has(written)) continue;
      const text = await readRepoFile(folder, path.resolve(source.pathBase, written), 'env file').catch(
        () => undefined,
      );
      if (text !== undefined) out.set(written, parseEnvFile(text));
    }
  }
  return out;
}

/** `50100-50200/udp` → `{ protocol: 'udp' }`; TCP, the default, says nothing. */
function protocolOf(target: string): { protocol?: string } {
  const proto = /\/(\w+)$/.exec(target)?.[1];
  return proto && proto !== 'tcp' ? { protocol: proto } : {};
}

/** The port layout of a compose stack: the main checkout keeps the file's own ports, worktrees count from an unprivileged base. */
function composePreset(published: PublishedPort[], config: RepoConfig, prefix: string, slotCount: number): Preset {
  return {
    id: 'compose',
    prefix,
    slotCount,
    services: published.map((p) => ({
      name: p.key,
      base: unprivilegedBase(p.published),
      main: p.published,
      offset: config.services?.[p.key]?.offset ?? 1,
      ...(p.span ? { span: p.span } : {}),
      ...(p.protocols ? { protocol: p.protocols } : protocolOf(p.target)),
      volume: false,
    })),
  };
}

/** What setup says about a compose stack it made: its own merge, shared port ranges, moved privileged ports. */
function composeNotes(
  r: InstanceRecord,
  source: { byCompose: boolean; files: string[]; interpolatedOnly?: string },
  from: string[],
  plan: { ports: PublishedPort[]; ranges: { service: string; spec: string }[] },
): string[] {
  return [
    ...(source.interpolatedOnly
      ? [
          `Compose validates ${from.join(', ')} only with their variables filled in (it accepts them so, as up does): axi merged them itself, variables kept as written (lists joined; !reset and !override honoured)`,
        ]
      : source.byCompose || source.files.length < 2
        ? []
        : [
            `Compose v2 not found: axi merged ${from.join(', ')} itself (lists joined; !reset and !override honoured); install the Compose plugin for Compose's own merge`,
          ]),
    ...plan.ranges.map(
      (x) =>
        `service ${x.service}: port range ${x.spec} kept as it is (instances share it; give each checkout its own in the compose file)`,
    ),
    ...(r.main
      ? []
      : plan.ports
          .filter((p) => p.published < 1024)
          .map(
            (p) =>
              `${p.key}: privileged port ${p.published} maps to ${r.ports[p.key]} (from ${unprivilegedBase(p.published)}, so rootless engines can bind it)`,
          )),
  ];
}

/**
 * Plain `docker compose -f docker-compose.instance.yml` in an instance's folder takes its project from the
 * folder's `.env` before any `name:` in the file: where that `.env` (the repository's, kept as it is) names
 * another project, such as the main checkout's, say so and give the `-p` that reaches the instance's.
 */
function foreignProjectLine(r: InstanceRecord, folderProject: string | undefined): string | undefined {
  if (r.main || !folderProject || folderProject === r.project) return undefined;
  return `.env here sets COMPOSE_PROJECT_NAME=${folderProject}: plain docker compose in this folder acts on that project, not this instance's; run it by hand with -p ${r.project} -f ${COMPOSE_FILE} (axi up does)`;
}

function composeHeader(r: InstanceRecord, files: string[], subfolderEnv: string | undefined, now: Date): string[] {
  const rel = files.map((f) => path.relative(r.folder, f)).join(', ');
  const envFile = subfolderEnv && path.relative(r.folder, subfolderEnv);
  return [
    COMPOSE_FILE,
    `Instance ${r.name} of ${rel} (project ${r.project}): a complete standalone file, published ports made the instance's own`,
    `Generated by axi on ${localStamp(now)}; regenerate with: axi setup`,
    'axi keeps this file if you edit it (the checksum below stops matching); axi setup --force regenerates it after a .bak copy.',
    ...(envFile
      ? [
          `Compose reads ${envFile} for it with: docker compose --env-file ${envFile} -f ${COMPOSE_FILE} … (axi passes it)`,
        ]
      : []),
    originHeader(r),
  ];
}

/**
 * What an instance's names derive from: its main checkout's Compose project name (`.env`'s
 * COMPOSE_PROJECT_NAME=workflow makes worktrees `workflow_<name>`), its registration's prefix and base when it
 * is registered, else read from the same files as the main checkout sees them (its folder's name last).
 */
async function repositoryName(
  req: StackRequest,
  sourceDir: string,
  projectIn: (dir: string) => Promise<string>,
): Promise<{ project?: string; prefix?: string; base?: string }> {
  const main = req.main;
  if (!main) return {};
  const rec = main.record;
  if (rec?.source === 'compose') {
    const own =
      rec.owner && rec.project.endsWith(`_${rec.owner}`) ? rec.project.slice(0, -rec.owner.length - 1) : rec.project;
    return { project: own, prefix: rec.prefix, base: rec.base };
  }
  return { project: await projectIn(path.join(main.folder, path.relative(req.folder, sourceDir))) };
}

export async function composeStack(
  req: StackRequest,
  from: string[],
  config: RepoConfig,
  slotCount: number,
  namespace: string,
  recordedPrefix?: string | null,
): Promise<Stack> {
  const source = await loadComposeSource(req.folder, from, req.composeModel, req.env);
  const env = { ...(await dotEnv(source.dir)), ...(req.env ?? process.env) };
  const folderProject = (await dotEnv(path.resolve(req.folder))).COMPOSE_PROJECT_NAME;
  const plan = portPlan(source.doc, env);
  const published = plan.ports;
  const mainProject = composeProjectName(source.doc, env, source.dir, req.projectName);
  // The main checkout's project as it reads it: its own `.env` (often ignored by git, so not the worktree's).
  const projectIn = async (dir: string) =>
    composeProjectName(source.doc, { ...(await dotEnv(dir)), ...(req.env ?? process.env) }, dir, req.projectName);
  const repo = await repositoryName(req, source.dir, projectIn);
  const prefix = config.prefix ?? recordedPrefix ?? repo.prefix ?? repo.project ?? mainProject;
  const envFiles = await serviceEnvFiles(req.folder, source);
  const subfolderEnv =
    source.dir !== path.resolve(req.folder) && existsSync(path.join(source.dir, '.env'))
      ? path.join(source.dir, '.env')
      : undefined;
  // The project's own variable names where its file takes a port from one; the config's win.
  const own = Object.fromEntries(published.filter((p) => p.variable).map((p) => [p.key, p.variable!]));
  const envNames = portEnvNames(
    published.map((p) => p.key),
    { ...own, ...config.env },
  );
  return {
    kind: 'compose',
    preset: composePreset(published, config, prefix, slotCount),
    template: null,
    from,
    base: req.recorded?.base ?? repo.base ?? repo.project ?? mainProject,
    project: (name, main, _folder, owner) =>
      main ? (owner ? `${mainProject}_${owner}` : mainProject) : `${prefix}_${owner ? `${owner}_` : ''}${name}`,
    async render(r, now) {
      const { doc, volumes, notes } = transformCompose(source.doc, {
        instance: r.name,
        main: r.main,
        project: r.project,
        ports: r.ports,
        folder: r.folder,
        sourceDir: source.pathBase,
        env,
        namespace,
        bind: r.bind ?? '127.0.0.1',
        labels: originLabels(r),
        objectLabels: objectLabels(r),
        envFiles,
      });
      const { stringify } = await import('yaml');
      const compose: GeneratedFile = {
        path: path.join(r.folder, COMPOSE_FILE),
        header: [
          ...composeHeader(r, source.files, subfolderEnv, now),
          ...[foreignProjectLine(r, folderProject)].filter((l): l is string => Boolean(l)),
        ],
        body: stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false }),
      };
      return {
        files: [genericEnvFile(r, envNames, now), compose],
        services: Object.keys(doc.services),
        volumes,
        notes: [
          ...composeNotes(r, source, from, plan),
          ...(req.projectName && !r.main && prefix !== req.projectName
            ? [
                `--project-name ${req.projectName} not used: an instance is named from its main checkout's project (${prefix}), so its project is ${r.project}`,
              ]
            : []),
          ...notes,
          ...[foreignProjectLine(r, folderProject)].filter((l): l is string => Boolean(l)),
        ],
      };
    },
  };
}
