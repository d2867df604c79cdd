import { cksum } from '../util/cksum';
import { AxiError } from '../../shared/errors';
import { busyPorts, describeOwner, type HostPortProbe } from './hostPorts';
import { allPorts, portsByKey, portText, presetProtocols, presetSpans, portProtocols } from './portRanges';
import { basePorts, portsForSlot, type Ports, type Preset } from '../project/preset';

/** Who already has a port: a registered instance, or a reservation from the seed's registry file. */
export type TakenPorts = ReadonlyMap<number, string>;

export interface Allocation {
  /** null for a main checkout on the base ports. */
  readonly slot: number | null;
  readonly ports: Ports;
  /** Why the suffix's own slot was not used, when it was not: `setup` says it. */
  readonly moved?: string;
}

export function preferredSlot(preset: Preset, suffix: string): number {
  return cksum(suffix) % preset.slotCount;
}

/**
 * Chooses ports that no other instance and no other program holds.
 *
 * The seed hashes the suffix to a slot and stops there; slots then overlap
 * (slot h's admin is slot h+1's web) and hashes collide. Here a slot is used
 * only when every one of its ports is free of registrations (any service),
 * of the base ports kept for main checkouts, and of host listeners;
 * otherwise the next slot is tried, wrapping around.
 */
export class PortAllocator {
  constructor(
    private readonly preset: Preset,
    private readonly probe: HostPortProbe,
  ) {}

  async allocate(opts: { suffix: string; main: boolean; taken: TakenPorts; reassign?: boolean }): Promise<Allocation> {
    if (opts.main) {
      // --reassign on the main checkout: the bases when they are free again, else a slot like any instance.
      const main = this.allocateMain(opts.taken);
      if (!opts.reassign) return main;
      const ok = await main.then(
        (a) => a,
        () => undefined,
      );
      if (ok) return ok;
    }
    const spans = presetSpans(this.preset);
    const reservedForMain = new Set(allPorts(basePorts(this.preset), spans));
    const start = preferredSlot(this.preset, opts.suffix);
    let moved: string | undefined;
    for (let i = 0; i < this.preset.slotCount; i++) {
      const slot = (start + i) % this.preset.slotCount;
      const ports = portsForSlot(this.preset, slot);
      const values = allPorts(ports, spans);
      const held = values.find((p) => opts.taken.has(p) || reservedForMain.has(p) || p > 65535);
      if (held !== undefined) {
        moved ??= `port ${held} of slot ${start} ${opts.taken.has(held) ? `is ${opts.taken.get(held)}` : held > 65535 ? 'is past 65535' : "is a main checkout's"}`;
        continue;
      }
      const busy = await busyPorts(
        values,
        this.probe,
        undefined,
        portProtocols(ports, spans, presetProtocols(this.preset)),
      );
      if (!busy.size) return { slot, ports, ...(moved ? { moved: `slot ${start} → ${slot}: ${moved}` } : {}) };
      moved ??= `port ${[...busy][0]} of slot ${start} is in use on this machine`;
    }
    throw new AxiError(
      'NO_FREE_SLOT',
      `all ${this.preset.slotCount} port slots are taken by registered instances or other programs; remove unused instances (axi list, axi remove NAME) and try again`,
    );
  }

  /** The main checkout keeps the seed's base ports, or says exactly who holds one. */
  private async allocateMain(taken: TakenPorts): Promise<Allocation> {
    const ports = basePorts(this.preset);
    const spans = presetSpans(this.preset);
    // A range is named with its block: "port 50150 of media (50100-50200)".
    const what = (port: number, key: string) =>
      spans?.[key] ? `port ${port} of ${key} (${portText(ports[key]!, spans[key])})` : `port ${port} (${key})`;
    const all = portsByKey(ports, spans);
    const held = all.find(([port]) => taken.has(port));
    if (held) {
      throw new AxiError(
        'PORT_CONFLICT',
        `${what(...held)} of the main checkout is registered to ${taken.get(held[0])}; use --reassign to take other ports`,
      );
    }
    const busy = await busyPorts(
      all.map(([p]) => p),
      this.probe,
      undefined,
      portProtocols(ports, spans, presetProtocols(this.preset)),
    );
    const first = all.find(([port]) => busy.has(port));
    if (first) {
      const owner = (await this.probe.owners([first[0]])).get(first[0]);
      throw new AxiError(
        'PORT_CONFLICT',
        `${what(...first)} of the main checkout is in use by ${describeOwner(owner)}; stop it or use --reassign to take other ports`,
      );
    }
    return { slot: null, ports };
  }
}
