import type { Ports } from '../project/preset';
import type { Spans } from './portRanges';

/** One container's published ports, as the engine lists them (a range as one entry per port). */
export interface PublishedBy {
  readonly service: string;
  readonly portMap: readonly { container: number; host: number; type: string }[];
}

type Entry = { container: number; host: number; type: string };

/** Runs of entries whose container and host ports both count up by one (one protocol): where a range can be. */
function runs(entries: readonly Entry[]): Entry[][] {
  const sorted = [...entries].sort((a, b) => a.type.localeCompare(b.type) || a.container - b.container);
  const out: Entry[][] = [];
  for (const e of sorted) {
    const run = out[out.length - 1];
    const last = run?.[run.length - 1];
    if (last && last.type === e.type && e.container === last.container + 1 && e.host === last.host + 1) run.push(e);
    else out.push([e]);
  }
  return out;
}

/** A range key's own container port and protocol (`media:50300-50400/udp`), where its key says it. */
function targetOf(key: string): { first: number; type?: string } | undefined {
  const m = /:(\d+)(?:-\d+)?(?:\/(\w+))?$/.exec(key);
  return m ? { first: Number(m[1]), ...(m[2] ? { type: m[2] } : {}) } : undefined;
}

/**
 * The registered keys' ranges in one container: each takes a run of its length (the one at its own container
 * port where its key names it), and is read as one entry at its first host port. What is left is single ports.
 */
function takeRanges(c: PublishedBy, spans: Spans | undefined, registered: Ports, out: Ports): Entry[] {
  let left: Entry[] = c.portMap.filter(
    (p, i) => c.portMap.findIndex((q) => q.container === p.container && q.type === p.type) === i,
  );
  const keys = Object.keys(spans ?? {}).filter((k) => k === c.service || k.startsWith(`${c.service}:`));
  for (const key of keys) {
    const n = spans![key]!;
    const t = targetOf(key);
    const at = registered[key];
    const fits = (r: Entry[]) =>
      r.length >= n && (!t || r.some((e) => e.container === t.first && (!t.type || e.type === t.type)));
    // A run longer than the range (a single port beside it, counting on): its start is the container port the key
    // names, else the registered block's first port where the run holds it.
    const run = runs(left).find((r) => fits(r) && r.some((e) => e.host === at)) ?? runs(left).find(fits);
    if (!run) continue;
    const anchor = run.findIndex((e) => (t ? e.container === t.first : e.host === at));
    const start = anchor >= 0 ? Math.min(anchor, run.length - n) : 0;
    const block = run.slice(start, start + n);
    out[key] = block[0]!.host;
    // The same block over the other protocol (TCP and UDP on 10000-10010) is the same key, not ports of its own.
    const [lo, hi] = [block[0]!.host, block[block.length - 1]!.host];
    left = left.filter((e) => !block.includes(e) && (e.host < lo || e.host > hi));
  }
  return left;
}

/**
 * Containers' published ports by registry key: a registered range (`spans`) as one entry at its block's first
 * port (`registered`: the registration's ports, which tell where a range starts in a longer run); single ports under their service for the first, `service:target` for more. The one reading of what
 * running containers publish (doctor, its fix, setup's adoption and the card's old ports all use it).
 */
export function publishedKeys(containers: readonly PublishedBy[], spans?: Spans, registered: Ports = {}): Ports {
  const out: Ports = {};
  for (const c of containers) {
    const mine: Ports = {};
    // A port published over TCP and UDP (3478 and 3478/udp) is one host port: one key.
    const singles = takeRanges(c, spans, registered, mine).filter(
      (p, i, all) => all.findIndex((q) => q.host === p.host) === i,
    );
    Object.assign(out, mine);
    singles.forEach((p, i) => {
      // The service's own key: its first single port, unless its range holds that key.
      const own = i === 0 && mine[c.service] === undefined;
      out[own ? c.service : `${c.service}:${p.container}${p.type && p.type !== 'tcp' ? `/${p.type}` : ''}`] = p.host;
    });
  }
  return out;
}
