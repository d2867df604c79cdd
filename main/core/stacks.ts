import path from 'node:path';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { portPlan, unprivilegedBase, type PublishedPort } from './composePorts';
import { composeProjectName } from './composeProjectName';
import { isMap, isList } from './yamlValues';
import { loadComposeSource, transformCompose, type ComposeSource } from './composeTransform';
import { parseEnvFile } from './composeEnvPorts';
import { readRepoYaml as readRepoFile } from './userFiles';
import { composeFile, envFile, genericEnvFile, localStamp } from './generator';
import { COMPOSE_FILE, type GeneratedFile } from './instanceFiles';
import { instanceNames, originLabels, projectName } from './naming';
import type { Preset } from './preset';
import type { InstanceRecord } from './registry';
import { loadRepoConfig, type RepoConfig } from './repoConfig';
import type { ComposeModelReader } from './composeModel';

export type StackKind = 'aegisx' | 'template' | 'compose';

/** What a checkout's instances are made of, and how its two files are written. */
export interface Stack {
  kind: StackKind;
  preset: Preset;
  template: string | null;
  from: string[] | null;
  /** The repository config's `bind:`, when it sets one. */
  bind?: string;
  /** `owner`: on a remote engine, the local user's name (see naming.ts). */
  project(name: string, main: boolean, folderName: string, owner?: string): string;
  render(
    rec: InstanceRecord,
    now: Date,
  ): Promise<{ files: GeneratedFile[]; services: string[]; volumes: string[]; notes?: string[] }>;
}

/** The instance file's header line with the same facts as `originLabels`. */
export function originHeader(rec: Pick<InstanceRecord, 'source' | 'from' | 'prefix'>): string {
  return `axi-origin: ${JSON.stringify({ source: rec.source ?? 'aegisx', from: rec.from ?? null, prefix: rec.prefix ?? null })}`;
}

/** The origin recorded in an instance file's header, if it has one. */
export async function readOrigin(
  folder: string,
): Promise<{ source: StackKind; from: string[] | null; prefix: string | null } | undefined> {
  const text = await readFile(path.join(folder, COMPOSE_FILE), 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const m = /^# axi-origin: (\{.*\})$/.exec(line);
    if (!m) continue;
    try {
      const o = JSON.parse(m[1]!) as { source?: unknown; from?: unknown; prefix?: unknown };
      if (o.source === 'aegisx' || o.source === 'template' || o.source === 'compose')
        return {
          source: o.source,
          from: isList(o.from) ? o.from.map(String) : null,
          prefix: typeof o.prefix === 'string' ? o.prefix : null,
        };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** `FOO-bar.baz` → `foobarbaz`: a prefix Docker and our namespace both accept. */
export function prefixFromBase(base: string): string {
  const p = base
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 16);
  return /^[a-z]/.test(p) ? p : `x${p}`.slice(0, 16);
}

export function portEnvName(key: string, env: RepoConfig['env']): string {
  const named = env?.[key];
  if (named) return named;
  const [service, ...rest] = key.split(':');
  const stem =
    service!
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'SERVICE';
  // `53/udp` → `53_UDP`, never a trailing `_`.
  const tail = rest
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return tail ? `${stem}_PORT_${tail}` : `${stem}_PORT`;
}

/** `.env.local` names for every port key, made unique (`_2`, `_3`, …) where two would collide. */
export function portEnvNames(keys: readonly string[], env: RepoConfig['env']): Record<string, string> {
  const used = new Set<string>();
  const out: Record<string, string> = {};
  for (const key of keys) {
    let name = portEnvName(key, env);
    for (let n = 2; used.has(name); n++) name = `${portEnvName(key, env)}_${n}`;
    used.add(name);
    out[key] = name;
  }
  return out;
}

async function dotEnv(dir: string): Promise<Record<string, string>> {
  return parseEnvFile(await readFile(path.join(dir, '.env'), 'utf8').catch(() => ''));
}

export interface StackRequest {
  folder: string;
  base: string;
  template?: string;
  from?: string[];
  recorded?: InstanceRecord;
  /** The environment Compose would see (setup's `env` option), for `${VAR}` in port specs. */
  env?: NodeJS.ProcessEnv;
  /** A `--from` stack's prefix as recorded elsewhere (its containers' labels). */
  prefix?: string;
  /** Compose v2's reading of the files, when it is installed. */
  composeModel?: ComposeModelReader;
  /** The main checkout's project name as `docker compose -p` gives it (setup's --project-name). */
  projectName?: string;
}

/**
 * Decides the stack: `--from` / `--template` on the command line, else the
 * repository's `.aegisx-instances.yml`, else what the registration recorded,
 * else the built-in AegisX stack.
 */
export async function resolveStack(req: StackRequest, enginePreset: Preset): Promise<Stack> {
  const { config } = await loadRepoConfig(req.folder);
  const rec = req.recorded;
  // Without a registration, the instance file's own header says what it was made from (re-adoption).
  const origin =
    rec || req.from || req.template || config.source !== 'aegisx' ? undefined : await readOrigin(req.folder);
  const from =
    req.from ??
    (config.source === 'compose' ? [config.from ?? []].flat() : undefined) ??
    (!req.template && rec?.from ? rec.from : undefined) ??
    (origin?.source === 'compose' && origin.from?.length ? origin.from : undefined);
  const slotCount = config.slots ?? enginePreset.slotCount;
  if (from?.length)
    return {
      ...(await composeStack(
        req,
        from,
        config,
        slotCount,
        enginePreset.prefix,
        req.prefix ?? origin?.prefix ?? rec?.prefix,
      )),
      bind: config.bind,
    };

  // `--template aegisx` names the built-in stack (unless the repository has its own templates/aegisx.yml).
  const builtIn =
    req.template === '' || (req.template === 'aegisx' && !existsSync(path.join(req.folder, 'templates', 'aegisx.yml')));
  const template = builtIn
    ? null
    : (req.template ?? (config.source === 'template' ? config.template : undefined) ?? rec?.template ?? null);
  const custom = config.services
    ? Object.entries(config.services).map(([name, s]) => ({ name, base: s.base, offset: s.offset, volume: false }))
    : undefined;
  const preset: Preset = {
    ...enginePreset,
    prefix: config.prefix ?? enginePreset.prefix,
    namespace: enginePreset.prefix,
    slotCount,
    services: custom ?? enginePreset.services,
  };
  return {
    kind: template ? 'template' : 'aegisx',
    preset,
    template,
    from: null,
    bind: config.bind,
    project: (name, main, _folder, owner) => projectName(preset, { name, main, owner }),
    async render(r, now) {
      const names = instanceNames(preset, r);
      const made = await composeFile(r, preset, now, enginePreset.prefix);
      const compose = { ...made, header: [...made.header, originHeader(r)] };
      const env = custom
        ? genericEnvFile(r, portEnvNames(Object.keys(r.ports), config.env), now)
        : envFile(r, names, now);
      return { files: [env, compose], services: compose.services, volumes: Object.values(names.volumes) };
    },
  };
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
          `Compose validates ${from.join(', ')} only with their variables filled in (it accepts them so, as up does): axi merged them itself, variables kept as written (lists joined, !reset ignored)`,
        ]
      : source.byCompose || source.files.length < 2
        ? []
        : [
            `Compose v2 not found: axi merged ${from.join(', ')} itself (lists joined, !reset ignored); install the Compose plugin for Compose's own merge`,
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

async function composeStack(
  req: StackRequest,
  from: string[],
  config: RepoConfig,
  slotCount: number,
  namespace: string,
  recordedPrefix?: string | null,
): Promise<Stack> {
  const source = await loadComposeSource(req.folder, from, req.composeModel, req.env);
  const env = { ...(await dotEnv(source.dir)), ...(req.env ?? process.env) };
  const plan = portPlan(source.doc, env);
  const published = plan.ports;
  const prefix = config.prefix ?? recordedPrefix ?? prefixFromBase(req.base);
  const envFiles = await serviceEnvFiles(req.folder, source);
  const mainProject = composeProjectName(source.doc, env, source.dir, req.projectName);
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
        envFiles,
      });
      const { stringify } = await import('yaml');
      const compose: GeneratedFile = {
        path: path.join(r.folder, COMPOSE_FILE),
        header: composeHeader(r, source.files, subfolderEnv, now),
        body: stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false }),
      };
      return {
        files: [genericEnvFile(r, envNames, now), compose],
        services: Object.keys(doc.services),
        volumes,
        notes: [...composeNotes(r, source, from, plan), ...notes],
      };
    },
  };
}
