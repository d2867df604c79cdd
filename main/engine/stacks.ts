import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { composeDefaultProject, loadComposeSource, publishedPorts, transformCompose } from './composeTransform';
import { composeFile, envFile, genericEnvFile, localStamp } from './generator';
import { COMPOSE_FILE, type GeneratedFile } from './instanceFiles';
import { instanceNames, originLabels, projectName } from './naming';
import type { Preset } from './preset';
import type { InstanceRecord } from './registry';
import { loadRepoConfig, type RepoConfig } from './repoConfig';

export type StackKind = 'aegisx' | 'template' | 'compose';

/** What a checkout's instances are made of, and how its two files are written. */
export interface Stack {
  kind: StackKind;
  preset: Preset;
  template: string | null;
  from: string[] | null;
  /** The repository config's `bind:`, when it sets one. */
  bind?: string;
  project(name: string, main: boolean, folderName: string): string;
  render(rec: InstanceRecord, now: Date): Promise<{ files: GeneratedFile[]; services: string[]; volumes: string[]; notes?: string[] }>;
}

/** The instance file's header line with the same facts as `originLabels`. */
export function originHeader(rec: Pick<InstanceRecord, 'source' | 'from' | 'prefix'>): string {
  return `axi-origin: ${JSON.stringify({ source: rec.source ?? 'aegisx', from: rec.from ?? null, prefix: rec.prefix ?? null })}`;
}

/** The origin recorded in an instance file's header, if it has one. */
export async function readOrigin(folder: string): Promise<{ source: StackKind; from: string[] | null; prefix: string | null } | undefined> {
  const text = await readFile(path.join(folder, COMPOSE_FILE), 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const m = /^# axi-origin: (\{.*\})$/.exec(line);
    if (!m) continue;
    try {
      const o = JSON.parse(m[1]!);
      if (['aegisx', 'template', 'compose'].includes(o.source)) return { source: o.source, from: Array.isArray(o.from) ? o.from.map(String) : null, prefix: typeof o.prefix === 'string' ? o.prefix : null };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** `FOO-bar.baz` → `foobarbaz`: a prefix Docker and our namespace both accept. */
export function prefixFromBase(base: string): string {
  const p = base.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 16);
  return /^[a-z]/.test(p) ? p : `x${p}`.slice(0, 16);
}

export function portEnvName(key: string, env: RepoConfig['env']): string {
  const named = env?.[key];
  if (named) return named;
  const [service, target] = key.split(':');
  const stem = service!.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '') || 'SERVICE';
  return target ? `${stem}_PORT_${target.replace(/\D+/g, '_')}` : `${stem}_PORT`;
}

async function dotEnv(dir: string): Promise<Record<string, string>> {
  const text = await readFile(path.join(dir, '.env'), 'utf8').catch(() => '');
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
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
  const origin = rec || req.from || req.template || config.source !== 'aegisx' ? undefined : await readOrigin(req.folder);
  const from =
    req.from ??
    (config.source === 'compose' ? [config.from ?? []].flat() : undefined) ??
    (!req.template && rec?.from ? rec.from : undefined) ??
    (origin?.source === 'compose' && origin.from?.length ? origin.from : undefined);
  const slotCount = config.slots ?? enginePreset.slotCount;
  if (from?.length) return { ...(await composeStack(req, from, config, slotCount, enginePreset.prefix, req.prefix ?? origin?.prefix ?? rec?.prefix)), bind: config.bind };

  const template = req.template ?? (config.source === 'template' ? config.template : undefined) ?? rec?.template ?? null;
  const custom = config.services ? Object.entries(config.services).map(([name, s]) => ({ name, base: s.base, offset: s.offset, volume: false })) : undefined;
  const preset: Preset = { ...enginePreset, prefix: config.prefix ?? enginePreset.prefix, slotCount, services: custom ?? enginePreset.services };
  return {
    kind: template ? 'template' : 'aegisx',
    preset,
    template,
    from: null,
    bind: config.bind,
    project: (name, main) => projectName(preset, { name, main }),
    async render(r, now) {
      const names = instanceNames(preset, r);
      const made = await composeFile(r, preset, now, enginePreset.prefix);
      const compose = { ...made, header: [...made.header, originHeader(r)] };
      const env = custom
        ? genericEnvFile(r, Object.fromEntries(Object.keys(r.ports).map((k) => [k, portEnvName(k, config.env)])), now)
        : envFile(r, names, now);
      return { files: [env, compose], services: compose.services, volumes: Object.values(names.volumes) };
    },
  };
}

async function composeStack(req: StackRequest, from: string[], config: RepoConfig, slotCount: number, namespace: string, recordedPrefix?: string | null): Promise<Stack> {
  const source = await loadComposeSource(req.folder, from);
  const env = { ...(await dotEnv(source.dir)), ...(req.env ?? process.env) };
  const published = publishedPorts(source.doc, env);
  const prefix = config.prefix ?? recordedPrefix ?? prefixFromBase(req.base);
  const preset: Preset = {
    id: 'compose',
    prefix,
    slotCount,
    services: published.map((p) => ({ name: p.key, base: p.published, offset: config.services?.[p.key]?.offset ?? 1, volume: false })),
  };
  const project = (name: string, main: boolean, folderName: string) => (main ? composeDefaultProject(folderName) : `${prefix}_${name}`);
  return {
    kind: 'compose',
    preset,
    template: null,
    from,
    project,
    async render(r, now) {
      const { doc, volumes } = transformCompose(source.doc, {
        instance: r.name,
        main: r.main,
        project: r.project,
        ports: r.ports,
        folder: r.folder,
        sourceDir: source.dir,
        env,
        namespace,
        bind: r.bind ?? '127.0.0.1',
        labels: originLabels(r),
      });
      const { stringify } = await import('yaml');
      const body = stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
      const rel = source.files.map((f) => path.relative(r.folder, f)).join(', ');
      const compose: GeneratedFile = {
        path: path.join(r.folder, COMPOSE_FILE),
        header: [
          COMPOSE_FILE,
          `Instance ${r.name} of ${rel} (project ${r.project}): a complete standalone file, published ports made the instance's own`,
          `Generated by axi on ${localStamp(now)}; regenerate with: axi setup`,
          'axi keeps this file if you edit it (the checksum below stops matching); axi setup --force regenerates it after a .bak copy.',
          originHeader(r),
        ],
        body,
      };
      const envNames = Object.fromEntries(published.map((p) => [p.key, portEnvName(p.key, config.env)]));
      return { files: [genericEnvFile(r, envNames, now), compose], services: Object.keys(doc.services), volumes };
    },
  };
}
