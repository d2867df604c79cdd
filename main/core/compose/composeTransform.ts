import { createdObjects, withLabels } from '../project/ownedObjects';
import path from 'node:path';
import { movedRange } from '../ports/portRanges';
import { INSTANCE_LABEL, NAMESPACE_LABEL } from '../project/naming';
import { remapNetworks } from './composeNetworks';
import { parsePort, portPlan } from './composePorts';
import { isMap, isList } from './yamlValues';
import { rewriteEnvironment } from './composeEnvPorts';
import type { Doc } from './doc';

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
  /** This registry's and folder's labels, for the volumes and networks the file makes. */
  objectLabels?: Record<string, string>;
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
    def.labels = withLabels(def.labels, { [INSTANCE_LABEL]: o.instance, [NAMESPACE_LABEL]: o.namespace, ...o.labels });
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
  if (o.objectLabels) labelObjects(doc, o.objectLabels);
  return { doc, volumes, notes };
}

/** This registry's labels on the volumes and networks the file makes (see ownedObjects.ts). */
function labelObjects(doc: Doc, labels: Readonly<Record<string, string>>): void {
  for (const [kind, key] of createdObjects(doc)) {
    const tops = (doc[kind] = isMap(doc[kind]) ? doc[kind] : {});
    const def = isMap(tops[key]) ? tops[key] : {};
    tops[key] = { ...def, labels: withLabels(def.labels, labels) };
  }
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
