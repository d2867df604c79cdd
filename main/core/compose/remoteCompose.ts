import { AxiError } from '../../shared/errors';
import { isList, isMap } from './yamlValues';

/** A host path in a volume's short syntax (`./data:/x`, `/srv:/x`, `~/x:/y`), as Compose tells it from a volume name. */
function isHostPath(source: string): boolean {
  return /^(\.|\/|~|[A-Za-z]:[\\/])/.test(source);
}

/**
 * What in a compose document refers to this machine's files, which a remote engine cannot see: `build:` contexts
 * and bind mounts (short and long syntax), as `services.NAME.build (CONTEXT)` / `services.NAME.volumes (SOURCE)`.
 */
export function localPathsIn(doc: unknown): string[] {
  const services = isMap(doc) && isMap(doc.services) ? doc.services : {};
  const found: string[] = [];
  for (const [name, def] of Object.entries(services)) {
    if (!isMap(def)) continue;
    if (def.build !== undefined) {
      const context = isMap(def.build) ? def.build.context : def.build;
      found.push(`services.${name}.build (${typeof context === 'string' ? context : '.'})`);
    }
    for (const v of isList(def.volumes) ? def.volumes : []) {
      const source = typeof v === 'string' ? v.split(':')[0]! : isMap(v) && v.type === 'bind' ? String(v.source) : '';
      if (typeof v === 'string' ? v.includes(':') && isHostPath(source) : source)
        found.push(`services.${name}.volumes (${source})`);
    }
  }
  return found;
}

/** `setup --context` of a `--from` stack: refused, with every offending path, when it needs this machine's files. */
export function assertRemoteCompatible(doc: unknown, engine: string, files: readonly string[]): void {
  const paths = localPathsIn(doc);
  if (!paths.length) return;
  throw new AxiError(
    'BAD_INPUT',
    `${files.join(', ')} cannot run on the Docker engine ${engine}: it refers to files on this machine, which a remote engine cannot see: ${paths.join(', ')}; use images and named volumes instead, or set it up on the local engine`,
  );
}
