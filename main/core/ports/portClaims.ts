import { instanceId, instanceLabels } from '../registry/instanceRef';
import { portsByKey } from './portRanges';
import { basePorts, portsForSlot, type Ports, type Preset } from '../project/preset';
import type { RegistryState } from '../registry/registry';

/** All the ports anybody but `except` (an instance id) holds in the registry, with a label saying who. */
export function takenPorts(state: RegistryState, except?: string): Map<number, string> {
  const taken = new Map<number, string>();
  const labels = instanceLabels(state.instances);
  for (const inst of state.instances) {
    if (instanceId(inst) === except) continue;
    for (const [port, service] of portsByKey(inst.ports, inst.spans))
      taken.set(port, `instance ${labels.get(instanceId(inst))} (${service})`);
  }
  for (const e of state.foreign) {
    for (const [service, port] of Object.entries(e.ports)) {
      if (!taken.has(port)) taken.set(port, `${e.name} (${service}, reserved in the port registry file)`);
    }
  }
  return taken;
}

/** On a remote engine: the ports registrations on that same engine hold (the seed's file describes this machine only). */
export function takenOnEngine(state: RegistryState, engine: string): Map<number, string> {
  const onEngine = state.instances.filter((i) => (i.engine ?? null) === engine);
  return takenPorts({ ...state, instances: onEngine, foreign: [] });
}

/** How well `ports` fit one slot's layout: `matched` of the `known` ports (those the layout has a port for). */
export interface SlotFit {
  slot: number;
  matched: number;
  known: number;
}

/** The slot whose layout holds the most of `ports` (the lowest slot on a tie); undefined when none holds any. */
export function bestSlotFit(preset: Preset, ports: Ports): SlotFit | undefined {
  let best: SlotFit | undefined;
  for (let slot = 0; slot < preset.slotCount; slot++) {
    const layout = portsForSlot(preset, slot);
    const known = Object.keys(ports).filter((k) => layout[k] !== undefined);
    const matched = known.filter((k) => layout[k] === ports[k]).length;
    if (matched > (best?.matched ?? 0)) best = { slot, matched, known: known.length };
  }
  return best;
}

/** How adoptedSlot's note starts when no slot fits: `axi adopt` repeats it among its steps. */
export const NO_SLOT_NOTE = 'no slot: ';

/** A main checkout's ports that are off their bases: the ones that say which slot it holds. */
export function offBase(preset: Preset, ports: Ports): Ports {
  const bases = basePorts(preset);
  return Object.fromEntries(Object.entries(ports).filter(([k, p]) => bases[k] !== undefined && bases[k] !== p));
}

/**
 * The slot of the ports containers already publish: the one whose layout holds a majority of them (`setup
 * --reassign` moves only a taken port off its slot's layout); their ports win where they differ. A main checkout
 * on all its bases holds no slot; off some, the slot of the ports that moved. Without a majority (one port of six
 * is chance), no slot: the ports are kept as they are, and a note says so.
 */
export function adoptedSlot(
  preset: Preset,
  main: boolean,
  published: Ports,
): { slot: number | null; ports: Ports; notes?: string[] } {
  const moved = main ? offBase(preset, published) : published;
  if (main && !Object.keys(moved).length) return { slot: null, ports: { ...basePorts(preset), ...published } };
  const fit = bestSlotFit(preset, moved);
  if (fit && 2 * fit.matched > fit.known) {
    const layout = main ? basePorts(preset) : portsForSlot(preset, fit.slot);
    return { slot: fit.slot, ports: { ...layout, ...published } };
  }
  const most = fit ? ` (at most ${fit.matched} of ${fit.known}, in slot ${fit.slot})` : '';
  const what = main ? 'the ports off its bases' : 'its ports';
  const note = `${NO_SLOT_NOTE}${what} match no slot's layout by a majority${most}; kept as they are`;
  return { slot: null, ports: main ? { ...basePorts(preset), ...published } : published, notes: [note] };
}
