import { instanceId, instanceLabels } from '../registry/instanceRef';
import type { InstanceRecord } from '../registry/record';
import { busyPorts, describeOwner, type HostPortProbe } from './hostPorts';
import type { TakenPorts } from './portAllocator';
import { preferredSlot } from './portAllocator';
import { bestSlotFit, offBase } from './portClaims';
import { portProtocols, presetProtocols } from './portRanges';
import { basePorts, portsForSlot, type Ports, type Preset } from '../project/preset';

/** `setup --reassign` without `--all`: only the ports something else holds move (and a main checkout's go home). */
export interface TakenReassignment {
  slot: number | null;
  ports: Ports;
  /** What moved and why, and what could not go back to its base port: setup's notes. */
  notes: string[];
}

export interface ReassignInput {
  preset: Preset;
  current: Ports;
  slot: number | null;
  main: boolean;
  suffix: string;
  /** Ports registered to others (the registry and the seed's file), with who has them. */
  taken: TakenPorts;
  probe: HostPortProbe;
  /** Ports its own containers publish: never "taken" for it. */
  own: ReadonlySet<number>;
  /** Ports other instances' containers publish, to their labels: named as the holder. */
  others?: ReadonlyMap<number, string>;
}

/**
 * Moves each port another instance or program holds to the same service's port of a later slot that is free,
 * and a main checkout's ports back to their bases where those are free. Nothing else moves.
 */
export async function reassignTaken(p: ReassignInput): Promise<TakenReassignment> {
  const bases = basePorts(p.preset);
  const reservedForMain = new Set(Object.values(bases));
  const ports: Ports = { ...p.current };
  const notes: string[] = [];
  const protocols = presetProtocols(p.preset);
  // A UDP key's port asked of UDP sockets, a `tcp+udp` one of both.
  const busyForeign = async (key: string, port: number) =>
    !p.own.has(port) &&
    (await busyPorts([port], p.probe, undefined, portProtocols({ [key]: port }, undefined, protocols))).size > 0;
  const holder = async (key: string, port: number): Promise<string | undefined> => {
    const reg = p.taken.get(port);
    if (reg) return `registered to ${reg}`;
    if (!(await busyForeign(key, port))) return undefined;
    const instance = p.others?.get(port);
    if (instance) return `in use by instance ${instance} (its containers)`;
    return `in use by ${describeOwner((await p.probe.owners([port])).get(port))}`;
  };
  const usable = async (key: string, port: number) =>
    port <= 65535 &&
    !Object.entries(ports).some(([k, v]) => k !== key && v === port) &&
    (!reservedForMain.has(port) || (p.main && bases[key] === port)) &&
    (await holder(key, port)) === undefined;
  const start = p.slot ?? preferredSlot(p.preset, p.suffix);
  for (const [key, port] of Object.entries(p.current)) {
    const base = bases[key];
    if (p.main && base !== undefined && port !== base) {
      const who = await holder(key, base);
      if (!who) {
        ports[key] = base;
        notes.push(`${key} ${port} → ${base}: back on its base port`);
        continue;
      }
      notes.push(`${key} stays on ${port}: its base port ${base} is ${who}`);
    }
    const why = await holder(key, port);
    if (!why) continue;
    for (let i = 1; i <= p.preset.slotCount; i++) {
      const candidate = portsForSlot(p.preset, (start + i) % p.preset.slotCount)[key];
      if (candidate === undefined || !(await usable(key, candidate))) continue;
      ports[key] = candidate;
      notes.push(`${key} ${port} → ${candidate}: ${port} was ${why}`);
      break;
    }
    if (ports[key] === port) notes.push(`${key} stays on ${port} (${why}): no free port for it in any slot`);
  }
  const home = p.main && Object.entries(bases).every(([k, v]) => ports[k] === v);
  if (!notes.length) notes.push('nothing moved: none of its ports is taken (--all moves every port)');
  // A main checkout off any base port is off its bases (the card offers the way back): it holds a slot again,
  // the one its moved ports belong to (they came from later slots, not from the preferred one).
  const slot = home ? null : p.main ? (bestSlotFit(p.preset, offBase(p.preset, ports))?.slot ?? start) : p.slot;
  return { slot, ports, notes };
}

/** Split the ports instances' containers publish (port → id) into its own and the others' (by label). */
export function publishedBy(
  rec: InstanceRecord,
  instances: readonly InstanceRecord[],
  published: ReadonlyMap<number, string> = new Map(),
): { own: Set<number>; others: Map<number, string> } {
  const id = instanceId(rec);
  const labels = instanceLabels(instances);
  const own = new Set([...published].filter(([, i]) => i === id).map(([port]) => port));
  const others = new Map([...published].filter(([, i]) => i !== id).map(([port, i]) => [port, labels.get(i) ?? i]));
  return { own, others };
}
