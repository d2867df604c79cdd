import type { Ports, Preset } from '../project/preset';
import { portText } from '../../shared/display/portText';

export { portEntries, portText } from '../../shared/display/portText';

/**
 * Port ranges (`50100-50200:50100-50200/udp`): a registration keeps the first port of each block under the
 * range's key, and the block's length in `spans` (key → number of ports). Everything that asks which host
 * ports an instance holds (taken ports, conflicts, the allocator's probe) asks through here.
 */
export type Spans = Readonly<Record<string, number>>;

/** Every host port of `ports`, each range as all of its ports. */
export function allPorts(ports: Ports, spans: Spans | undefined): number[] {
  const out: number[] = [];
  for (const [key, first] of Object.entries(ports)) {
    const n = spans?.[key] ?? 1;
    for (let i = 0; i < n; i++) out.push(first + i);
  }
  return out;
}

/** Each registered port with the key that holds it (a range's every port under its key). */
export function portsByKey(ports: Ports, spans: Spans | undefined): [number, string][] {
  return Object.entries(ports).flatMap(([key, first]) =>
    Array.from({ length: spans?.[key] ?? 1 }, (_, i) => [first + i, key] as [number, string]),
  );
}

/** The ranges of a stack's layout (none for most). */
export function presetSpans(preset: Preset): Record<string, number> | undefined {
  const spans = Object.fromEntries(preset.services.filter((s) => (s.span ?? 1) > 1).map((s) => [s.name, s.span!]));
  return Object.keys(spans).length ? spans : undefined;
}

/** The protocols of a stack's layout other than TCP (`media` → `udp`, `turn` → `tcp+udp`), none for most. */
export function presetProtocols(preset: Preset): Record<string, string> | undefined {
  const out = Object.fromEntries(preset.services.filter((s) => s.protocol).map((s) => [s.name, s.protocol!]));
  return Object.keys(out).length ? out : undefined;
}

/**
 * The protocols of `ports` other than TCP, by port (`udp`, `tcp+udp`): the probe asks UDP sockets about the `udp`
 * ones, both kinds about the `tcp+udp` ones, TCP ones about the rest.
 */
export function portProtocols(
  ports: Ports,
  spans: Spans | undefined,
  protocols: Readonly<Record<string, string>> | undefined,
): Map<number, string> {
  return new Map(portsByKey(ports, spans).flatMap(([p, key]) => (protocols?.[key] ? [[p, protocols[key]]] : [])));
}

/**
 * Conflicts on a range's ports, one per busy port, become one that names the range (`4510-4559`) at its first busy
 * port: check-conflicts and the card say the range and the holder of that port, never 50 lines.
 */
export function collapseRanges<C extends { port: number; kind: string; service: string; instances: string[] }>(
  conflicts: readonly C[],
  rangeOf: (instance: string, key: string) => string | undefined,
): (C & { range?: string })[] {
  const seen = new Set<string>();
  const out: (C & { range?: string })[] = [];
  for (const c of [...conflicts].sort((a, b) => a.port - b.port)) {
    const range = rangeOf(c.instances[0]!, c.service);
    if (!range) {
      out.push(c);
      continue;
    }
    const key = `${c.kind}\n${c.service}\n${c.instances.join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...c, range });
  }
  return out;
}

/** A range entry's host part moved to the instance's block (`50100-50200` → `50403-50503`); others unchanged. */
export function movedRange(
  rangeHost: string | undefined,
  byNumber: ReadonlyMap<number, string>,
  ports: Ports,
): string | undefined {
  const m = /^(\d+)-(\d+)$/.exec(rangeHost ?? '');
  const key = m ? byNumber.get(Number(m[1])) : undefined;
  if (!m || !key || ports[key] === undefined) return rangeHost;
  return portText(ports[key], Number(m[2]) - Number(m[1]) + 1);
}
