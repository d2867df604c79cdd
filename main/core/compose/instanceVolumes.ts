import type { Doc } from './doc';
import { isList, isMap } from './yamlValues';

/** A named volume of an instance file: its real name on the engine, and the key it matches across instances by. */
export interface ModelVolume {
  name: string;
  key: string;
}

/** The top-level volume a service's mount names (`pgdata:/var/lib/…`, `{ type: volume, source: pgdata }`). */
function mountedVolume(mount: unknown): string | undefined {
  if (typeof mount === 'string') {
    const [src, ...rest] = mount.split(':');
    return rest.length && src ? src : undefined;
  }
  if (isMap(mount) && (mount.type ?? 'volume') === 'volume' && typeof mount.source === 'string') return mount.source;
  return undefined;
}

/**
 * The named volumes an instance file makes, as we wrote it: each volume's real name (its `name:`, else
 * Compose's `<project>_<key>`) and the key it matches by. A `--from` stack keeps the project's own keys in every
 * instance (`dbdata`); the AegisX stack and templates key volumes by their names, which differ per instance, so they
 * match by the service that mounts them (`postgres`). External volumes are shared, never copied. Read from our
 * file, not the engine's `com.docker.compose.volume` label: Compose v1 writes a volume's full `name:` there.
 */
export function instanceVolumes(doc: Doc, project: string, byCompose: boolean): ModelVolume[] {
  const tops = isMap(doc.volumes) ? doc.volumes : {};
  const mounter = new Map<string, string>();
  for (const [service, def] of Object.entries(isMap(doc.services) ? doc.services : {})) {
    if (!isMap(def) || !isList(def.volumes)) continue;
    for (const m of def.volumes) {
      const v = mountedVolume(m);
      if (v && !mounter.has(v)) mounter.set(v, service);
    }
  }
  return Object.entries(tops)
    .filter(([, def]) => !(isMap(def) && def.external))
    .map(([key, def]) => ({
      name: isMap(def) && typeof def.name === 'string' ? def.name : `${project}_${key}`,
      key: byCompose ? key : (mounter.get(key) ?? key),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}
