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

/**
 * The slot whose layout matches the ports containers already publish, else the one matching most of them
 * (`setup --reassign` moves only a taken port off its slot's layout); their ports win where they differ.
 */
export function adoptedSlot(preset: Preset, main: boolean, published: Ports): { slot: number | null; ports: Ports } {
  const layouts: [number | null, Ports][] = [
    ...(main ? [[null, basePorts(preset)] as [null, Ports]] : []),
    ...Array.from({ length: preset.slotCount }, (_, slot): [number, Ports] => [slot, portsForSlot(preset, slot)]),
  ];
  const matches = (ports: Ports) =>
    Object.entries(published).every(([k, p]) => ports[k] === undefined || ports[k] === p);
  const matching = (ports: Ports) => Object.entries(published).filter(([k, p]) => ports[k] === p).length;
  const best =
    layouts.find(([, ports]) => matches(ports)) ??
    layouts.reduce<[number | null, Ports] | undefined>(
      (b, l) => (matching(l[1]) > (b ? matching(b[1]) : 0) ? l : b),
      undefined,
    );
  return best ? { slot: best[0], ports: { ...best[1], ...published } } : { slot: null, ports: published };
}
