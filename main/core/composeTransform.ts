import path from 'node:path';
import { composeReading } from './composeValidation';
import { movedRange } from './portRanges';
import { AxiError } from './errors';
import { INSTANCE_LABEL, NAMESPACE_LABEL } from './naming';
import { readUserYaml, resolveInside } from './userFiles';
import { remapNetworks } from './composeNetworks';
import { parsePort, portPlan } from './composePorts';
import { isMap, isList } from './yamlValues';
import { documentFromModel, type ComposeModelReader } from './composeModel';
import { rewriteEnvironment } from './composeEnvPorts';

export type Doc = {
  services: Record<string, Record<string, unknown>>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
  [k: string]: unknown;
};

/** Compose's override-file merge, simplified (used only without Compose v2): mappings merged key by key, lists joined without repeats. */
function merge(a: unknown, b: unknown): unknown {
  if (isMap(a) && isMap(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v) : v;
    return out;
  }
  if (isList(a) && isList(b))
    return [...a, ...b.filter((x) => !a.some((y) => JSON.stringify(y) === JSON.stringify(x)))];
  return b;
}

/** Real files lean on anchors (one has 131 merge keys); the bound still stops an alias bomb. */
const MAX_ALIASES = 10_000;

/**
 * One compose file as data. Integers written with a leading 0 (`mode: 0440`) are octal, as Compose
 * reads them; YAML 1.2 would take them as decimal.
 */
function parseComposeYaml(Y: typeof import('yaml'), text: string, file: string): unknown {
  const d = Y.parseDocument(text, { merge: true });
  const e = d.errors[0];
  if (e)
    throw new AxiError(
      'BAD_INPUT',
      `${file}:${e.linePos?.[0]?.line ?? '?'}: not valid YAML: ${e.message.split('\n')[0]}`,
    );
  Y.visit(d, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && typeof node.source === 'string' && /^0[0-7]+$/.test(node.source))
        node.value = parseInt(node.source, 8);
    },
  });
  try {
    return d.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (err) {
    if (err instanceof ReferenceError)
      throw new AxiError(
        'BAD_INPUT',
        `${file}: too many YAML aliases (more than ${MAX_ALIASES}); refusing it as an alias bomb`,
      );
    throw err;
  }
}

/** A project's files as one document, and how it was read. */
export interface ComposeSource {
  doc: Doc;
  /** The first file's folder: Compose's project directory, where it reads `.env`. */
  dir: string;
  files: string[];
  /** The folder the document's relative paths start from. */
  pathBase: string;
  /** True when Compose v2 merged the files (include, extends, overrides as `up` reads them). */
  byCompose: boolean;
  /** Compose accepts the files only interpolated (see InterpolatedOnly): what it said of them uninterpolated. */
  interpolatedOnly?: string;
}

/** What only Compose itself resolves: refused rather than turned into a file that runs something else. */
function needsCompose(doc: unknown, file: string): string | undefined {
  if (!isMap(doc)) return undefined;
  if (doc.include !== undefined) return `${file} uses include:`;
  for (const [name, def] of Object.entries(isMap(doc.services) ? doc.services : {})) {
    if (isMap(def) && def.extends !== undefined) return `${file}: service ${name} uses extends:`;
  }
  return undefined;
}

/**
 * Reads the project's compose file(s). Each is checked here (inside the repository, size, YAML
 * errors with file and line, alias bombs); then Compose v2 merges them when it is installed, as
 * `up` would. Without it, axi merges them itself and says so.
 */
export async function loadComposeSource(
  folder: string,
  files: readonly string[],
  model?: ComposeModelReader,
  env?: NodeJS.ProcessEnv,
): Promise<ComposeSource> {
  const Y = await import('yaml');
  const parsed: unknown[] = [];
  // Resolved with symlinks followed and kept inside the repository: `from: [/etc/passwd]` is never read.
  const abs: string[] = [];
  for (const f of files) abs.push(await resolveInside(folder, f, 'compose file'));
  const dir = path.dirname(abs[0]!);
  // Several files: Compose's reading (~0.5 s to start) runs while axi checks them. Its error waits for ours.
  const early =
    model && abs.length > 1
      ? model(abs, { cwd: dir, env }).then(
          (m) => ({ m }),
          (err: unknown) => ({ err }),
        )
      : undefined;
  for (const file of abs) {
    const text = await readUserYaml(file).catch((err) => {
      throw err instanceof AxiError ? err : new AxiError('BAD_INPUT', `compose file not found: ${file}`);
    });
    parsed.push(parseComposeYaml(Y, text, file));
  }
  // Compose is asked only where there is something to merge: one plain file reads the same either way
  // (the suites compare both readings with Compose's).
  const merging = parsed.length > 1 || parsed.some((d, i) => needsCompose(d, abs[i]!));
  const reading =
    model && merging ? await composeReading(early ?? model(abs, { cwd: dir, env }).then((m) => ({ m }))) : {};
  const composed = reading.model;
  let doc: unknown;
  if (composed !== undefined) doc = documentFromModel(composed, folder);
  else {
    const unsupported = parsed.map((d, i) => needsCompose(d, abs[i]!)).find(Boolean);
    if (unsupported)
      throw new AxiError(
        'BAD_INPUT',
        `${unsupported}, which axi reads through Compose v2 (docker compose config); install the Compose plugin`,
      );
    doc = parsed.reduce(merge, {});
  }
  if (!isMap(doc) || !isMap(doc.services) || !Object.keys(doc.services).length) {
    throw new AxiError('BAD_INPUT', `${abs.join(', ')}: no services defined`);
  }
  return {
    doc: doc as Doc,
    dir,
    files: abs,
    pathBase: composed !== undefined ? folder : dir,
    byCompose: composed !== undefined,
    ...(reading.interpolatedOnly ? { interpolatedOnly: reading.interpolatedOnly } : {}),
  };
}

export interface TransformOptions {
  instance: string;
  main: boolean;
  project: string;
  /** Allocated host port by key. */
  ports: Record<string, number>;
  /** Folder the instance file is written to; `sourceDir` the compose file's own. */
  folder: string;
  sourceDir: string;
  env: Record<string, string | undefined>;
  namespace: string;
  /** Host address for ports the file publishes without one (127.0.0.1 unless asked); an address the user wrote is kept. */
  bind: string;
  /** More labels for every service (the instance's origin, for re-adoption). */
  labels?: Record<string, string>;
  /** The variables of the env files services read, by path as written, for `localhost:PORT` in them. */
  envFiles?: ReadonlyMap<string, Record<string, string>>;
}

/**
 * One port entry with the instance's host port (one per distinct published number) on `bind`, unless
 * the entry gives its own address. Ranges keep their numbers.
 */
function rewritePort(
  spec: unknown,
  service: string,
  o: TransformOptions,
  byNumber: ReadonlyMap<number, string>,
): unknown {
  const p = parsePort(spec, service, o.env);
  const hostIp = p.hostIp || o.bind;
  const key = p.published === undefined ? undefined : byNumber.get(p.published);
  const port = p.range
    ? movedRange(p.rangeHost, byNumber, o.ports)
    : p.published === undefined
      ? undefined
      : ((key ? o.ports[key] : undefined) ?? p.published);
  const short = `${hostIp.includes(':') ? `[${hostIp}]` : hostIp}:${port ?? ''}:${p.target}`;
  if (!isMap(spec)) return short;
  // Compose v1 has no long-syntax host_ip: a plain long entry (as Compose v2's model writes every
  // short one) becomes the same short one, which both read.
  const plain = Object.keys(spec).every(
    (k) => ['target', 'published', 'protocol', 'host_ip'].includes(k) || (k === 'mode' && spec.mode === 'ingress'),
  );
  if (plain) return short;
  return {
    ...spec,
    host_ip: hostIp,
    ...(port === undefined ? {} : { published: typeof spec.published === 'string' || p.range ? String(port) : port }),
  };
}

/** Adds `alias` on every network the service joins (the default one when it names none). */
function aliasOnNetworks(def: Record<string, unknown>, alias: string): void {
  if (typeof def.network_mode === 'string') return; // host, none, service:…: no aliases there
  const nets = def.networks;
  const entries: [string, unknown][] = isList(nets)
    ? nets.map((n) => [String(n), null])
    : isMap(nets)
      ? Object.entries(nets)
      : [['default', null]];
  def.networks = Object.fromEntries(
    entries.map(([net, cfg]) => {
      const c = isMap(cfg) ? { ...cfg } : {};
      const aliases = isList(c.aliases) ? c.aliases.map(String) : [];
      return [net, { ...c, aliases: aliases.includes(alias) ? aliases : [...aliases, alias] }];
    }),
  );
}

const isPathLike = (s: string) => s.startsWith('.') || s.startsWith('/') || s.startsWith('~');

/**
 * The project's compose file as a complete standalone instance file: every
 * published host port becomes the instance's (container ports and host IP
 * unchanged), `container_name`s and named volumes and networks made per
 * instance (external ones left alone), relative paths still resolving from
 * the folder. The main checkout keeps its ports and names.
 */
export function transformCompose(source: Doc, o: TransformOptions): { doc: Doc; volumes: string[]; notes: string[] } {
  const doc = structuredClone<Doc>(source);
  delete doc.version; // obsolete, and Compose v1 rejects a mix
  delete doc.name; // the project name is given with -p
  const rebase = (p: string) => {
    if (o.sourceDir === o.folder || path.isAbsolute(p) || p.startsWith('~')) return p;
    const rel = path.relative(o.folder, path.resolve(o.sourceDir, p));
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
  const { byNumber } = portPlan(source, o.env);
  const moved = new Map([...byNumber].map(([n, key]) => [n, o.ports[key] ?? n]));
  const notes: string[] = [];
  for (const [service, def] of Object.entries(doc.services)) {
    if (!isMap(def)) continue;
    if (!o.main)
      notes.push(
        ...rewriteEnvironment(def, { moved, env: o.env, envFiles: o.envFiles ?? new Map() }).map(
          (c) => `service ${service}: ${c}`,
        ),
      );
    if (isList(def.ports)) def.ports = def.ports.map((spec) => rewritePort(spec, service, o, byNumber));
    if (typeof def.container_name === 'string' && !o.main) {
      // Other services may call it by its old name: keep that name as an alias on the instance's own networks.
      aliasOnNetworks(def, def.container_name);
      def.container_name = `${def.container_name}_${o.instance}`;
    }
    const labels = def.labels;
    const ours = { [INSTANCE_LABEL]: o.instance, [NAMESPACE_LABEL]: o.namespace, ...o.labels };
    if (isList(labels))
      def.labels = [
        ...labels.filter((l) => !Object.keys(ours).some((k) => String(l).startsWith(`${k}=`))),
        ...Object.entries(ours).map(([k, v]) => `${k}=${v}`),
      ];
    else def.labels = { ...(isMap(labels) ? labels : {}), ...ours };
    if (typeof def.build === 'string') def.build = rebase(def.build);
    else if (isMap(def.build) && typeof def.build.context === 'string') def.build.context = rebase(def.build.context);
    if (typeof def.env_file === 'string') def.env_file = rebase(def.env_file);
    else if (isList(def.env_file))
      def.env_file = def.env_file.map((e) =>
        typeof e === 'string' ? rebase(e) : isMap(e) && typeof e.path === 'string' ? { ...e, path: rebase(e.path) } : e,
      );
    if (isList(def.volumes)) {
      def.volumes = def.volumes.map((v) => {
        if (typeof v === 'string') {
          const [src, ...rest] = v.split(':');
          return src && isPathLike(src) && rest.length ? [rebase(src), ...rest].join(':') : v;
        }
        if (isMap(v) && v.type === 'bind' && typeof v.source === 'string') return { ...v, source: rebase(v.source) };
        return v;
      });
    }
  }
  const volumes: string[] = [];
  for (const tops of [doc.secrets, doc.configs]) {
    for (const def of Object.values(isMap(tops) ? tops : {}))
      if (isMap(def) && typeof def.file === 'string') def.file = rebase(def.file);
  }
  for (const [kind, tops] of [
    ['volumes', doc.volumes],
    ['networks', doc.networks],
  ] as const) {
    if (!isMap(tops)) continue;
    for (const [key, raw] of Object.entries(tops)) {
      const def = isMap(raw) ? { ...raw } : {};
      if (def.external) continue;
      if (!o.main) def.name = typeof def.name === 'string' ? `${def.name}_${o.instance}` : `${o.project}_${key}`;
      tops[key] = def;
      if (kind === 'volumes') volumes.push(typeof def.name === 'string' ? def.name : `${o.project}_${key}`);
    }
  }
  if (!o.main) notes.push(...remapNetworks(doc, o.project));
  return { doc, volumes, notes };
}

/** Compose's own default project name for a folder: lower case, only a-z 0-9 _ - kept. */
export function composeDefaultProject(folderName: string): string {
  // As compose-go's NormalizeProjectName: lower case, only [a-z0-9_-], no leading `_` or `-`.
  return (
    folderName
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '')
      .replace(/^[_-]+/, '') || 'default'
  );
}
