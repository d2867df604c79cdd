import path from 'node:path';
import { isMap, isList } from './yamlValues';
import type { Doc } from './doc';

/** Reads Compose's merged model of some files (undefined when Compose v2 is not installed). Supplied by the Docker layer. */
export type ComposeModelReader = (
  files: readonly string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
) => Promise<unknown>;

/** An absolute path inside the checkout as `./…` from it (the instance file sits at its root); others unchanged. */
export function relativeInside(folder: string, p: string): string {
  if (!path.isAbsolute(p)) return p;
  const rel = path.relative(folder, p);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : `./${rel.split(path.sep).join('/')}`;
}

/** `{type: bind|volume, source, target, read_only}` with nothing else as the short form every Compose reads. */
function shortVolume(v: unknown, folder: string): unknown {
  if (!isMap(v) || typeof v.target !== 'string') return v;
  const extra = Object.keys(v).filter((k) => !['type', 'source', 'target', 'read_only', 'bind', 'volume'].includes(k));
  const plainBind =
    v.type === 'bind' &&
    isMap(v.bind) &&
    Object.keys(v.bind).every((k) => k === 'create_host_path') &&
    v.bind.create_host_path === true;
  const plainVolume =
    v.type === 'volume' && (v.volume === undefined || (isMap(v.volume) && !Object.keys(v.volume).length));
  const source =
    typeof v.source === 'string' ? (v.type === 'bind' ? relativeInside(folder, v.source) : v.source) : undefined;
  if (extra.length || !(plainBind || plainVolume) || v.target.includes(':') || source?.includes(':')) {
    return source && v.type === 'bind' ? { ...v, source } : v;
  }
  return [source, v.target].filter(Boolean).join(':') + (v.read_only ? ':ro' : '');
}

function normalizeService(def: Record<string, unknown>, folder: string): void {
  if (typeof def.build === 'string') def.build = relativeInside(folder, def.build);
  else if (isMap(def.build) && typeof def.build.context === 'string')
    def.build = { ...def.build, context: relativeInside(folder, def.build.context) };
  if (isList(def.env_file)) {
    def.env_file = def.env_file.map((e) => {
      if (!isMap(e) || typeof e.path !== 'string') return e;
      const p = relativeInside(folder, e.path);
      // `required: true` is the default, and the plain path is what Compose before 2.24 reads.
      return e.required === false || e.format ? { ...e, path: p } : p;
    });
  }
  if (isList(def.volumes)) def.volumes = def.volumes.map((v) => shortVolume(v, folder));
  if (isMap(def.depends_on)) {
    for (const dep of Object.values(def.depends_on)) if (isMap(dep) && dep.required === true) delete dep.required;
  }
}

/**
 * Compose v2's model (`config --format json --no-interpolate`) as the document axi transforms:
 * names Compose derived from the project (`shop_dbdata`) dropped, so `-p` decides them again; paths
 * inside the checkout made relative to it; entries in the short forms Compose v1 also reads.
 */
export function documentFromModel(model: unknown, folder: string): Doc {
  const doc = structuredClone(model) as Doc;
  const project = typeof doc.name === 'string' ? doc.name : '';
  for (const kind of ['volumes', 'networks', 'secrets', 'configs'] as const) {
    const tops = doc[kind];
    if (!isMap(tops)) continue;
    for (const [key, def] of Object.entries(tops)) {
      if (!isMap(def)) continue;
      if (!def.external && def.name === `${project}_${key}`) delete def.name;
      if (typeof def.file === 'string') def.file = relativeInside(folder, def.file);
    }
  }
  for (const def of Object.values(doc.services ?? {})) if (isMap(def)) normalizeService(def, folder);
  return doc;
}
