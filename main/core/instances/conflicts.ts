import { collapseRanges, portsByKey } from '../ports/portRanges';
import { portText } from '../../shared/display/portText';
import { busyPorts, type HostPortProbe, type PortOwner } from '../ports/hostPorts';
import { instanceId, instanceLabels, matchRef } from '../registry/instanceRef';
import { AxiError } from '../../shared/errors';
import { type RegistryState } from '../registry/registry';
import type { Conflict, ConflictQuery } from './serviceTypes';
import { InstanceStore } from './records/instanceStore';
import { containerPorts } from './records/instanceDoc';
import type { InstanceRecord } from '../registry/record';

/** Port conflicts: claimed twice in the registry, or held on the host by a program that is not the instance's. */
export class InstanceConflicts extends InstanceStore {
  /**
   * Ports claimed twice in the registry (ours, or lines of the seed's registry file), and registered
   * ports held on this machine by a program other than the instance's own containers.
   */
  async checkConflicts(query: ConflictQuery = {}, state?: RegistryState): Promise<Conflict[]> {
    return (await this.checkPorts(query, state)).conflicts;
  }

  /** Ports claimed twice in the registry: no probe of the host (a registration changes only these). */
  registryConflicts(state: RegistryState): Conflict[] {
    return registryConflicts(state, instanceLabels(state.instances));
  }

  /** Conflicts, and the registered ports something listens on (the window links only those). */
  async checkPorts(
    query: ConflictQuery = {},
    state?: RegistryState,
  ): Promise<{ conflicts: Conflict[]; listening: Set<number> }> {
    state ??= await this.registry.readState();
    const labels = instanceLabels(state.instances);
    const one = query.only === undefined ? undefined : matchRef(query.only, state.instances);
    if (query.only !== undefined && !one) return { conflicts: [], listening: new Set() };
    const only = one && labels.get(instanceId(one));
    const conflicts = registryConflicts(state, labels).filter((c) => !only || c.instances.includes(only));
    const ours = new Map<number, { service: string; id: string; folder: string; rec: InstanceRecord }>();
    // Published over UDP: held by a UDP socket, not a TCP listener; over both (`tcp+udp`): by either.
    const protocols = new Map<number, string>();
    // One remote instance (`up`'s re-check) is probed on its engine's host, through the allocator's own probe;
    // otherwise only local instances are: a remote one's ports are on another host.
    const remote = one?.engine ?? undefined;
    for (const inst of state.instances) {
      if ((one && inst !== one) || (inst.engine && !remote)) continue;
      // A range's every port: a program on any of them breaks the instance's start.
      for (const [p, s] of portsByKey(inst.ports, inst.spans)) {
        ours.set(p, { service: s, id: instanceId(inst), folder: inst.folder, rec: inst });
        if (inst.protocols?.[s]) protocols.set(p, inst.protocols[s]);
      }
    }
    const probe = remote ? this.probeFor(remote) : this.probe;
    const busy = await busyPorts(ours.keys(), probe, undefined, protocols);
    // Asking Docker costs a connection: only when something holds a registered port.
    const published =
      query.ownPorts ??
      (busy.size && this.ownPublishedPorts ? await this.ownPublishedPorts() : new Map<number, string>());
    const foreignBusy = [...busy].filter((p) => published.get(p) !== ours.get(p)!.id).sort((a, b) => a - b);
    const owners = foreignBusy.length ? await probe.owners(foreignBusy) : new Map<number, PortOwner>();
    // Asked only when Docker's proxy holds one: its own container may be coming up (`axi up` in a terminal).
    const proxied = [...owners.values()].some((o) => o.name === 'docker-proxy');
    const comingUp = proxied && this.comingUpPorts ? await this.comingUpPorts() : new Map<number, string>();
    // What each instance's own containers publish (its instance file, kept by mtime): only those with a held port.
    const recs = [...new Set(foreignBusy.map((p) => ours.get(p)!.rec))];
    const publishes = new Map(await Promise.all(recs.map(async (r) => [r, await containerPorts(r)] as const)));
    for (const port of foreignBusy) {
      const o = ours.get(port)!;
      const owner = owners.get(port);
      if (ownHolder(owner, port, { ...o, containerPorts: publishes.get(o.rec)! }, comingUp.get(port))) continue;
      conflicts.push({
        port,
        kind: 'host',
        service: o.service,
        instances: [labels.get(o.id)!],
        // Its working folder only decided ownership above: not part of the report.
        ...(owner ? { process: { pid: owner.pid, name: owner.name } } : {}),
        // Another instance's containers publish it: that instance, by name, rather than its docker-proxy.
        ...(published.get(port) ? { heldBy: labels.get(published.get(port)!) ?? published.get(port)! } : {}),
      });
    }
    const rangeOf = (label: string, key: string) => {
      const inst = state.instances.find((i) => labels.get(instanceId(i)) === label);
      const span = inst?.spans?.[key];
      return inst && span ? portText(inst.ports[key]!, span, inst.protocols?.[key]) : undefined;
    };
    conflicts.sort((a, b) => a.port - b.port || a.kind.localeCompare(b.kind));
    return { conflicts: collapseRanges(conflicts, rangeOf), listening: busy };
  }

  /** Conflicts, and the lines of the seed's registry file that match no shape (kept, reported by number): one read. */
  async conflictReport(): Promise<{
    conflicts: Conflict[];
    unreadable: { file: string; line: number; text: string }[];
  }> {
    const state = await this.registry.readState();
    const conflicts = await this.checkConflicts({}, state);
    return { conflicts, unreadable: state.unreadable.map((u) => ({ file: this.paths.mirrorFile, ...u })) };
  }

  /** A remote engine's probe, already asked (its answer is kept for the allocation); none where none can be made. */
  protected warmProbe(engine: string): HostPortProbe | undefined {
    if (!this.engineProbe) return undefined;
    const probe = this.engineProbe(engine);
    probe.busy?.([]).catch(() => undefined); // a failure is the allocation's to report, when it asks again
    return probe;
  }

  /** The port probe of a remote engine's host (one container run per allocation), or an error saying why there is none. */
  protected probeFor(engine: string): HostPortProbe {
    if (!this.engineProbe) throw new AxiError('BAD_INPUT', `cannot check ports on engine ${engine} here`);
    return this.engineProbe(engine);
  }
}

/** Docker's proxy for a port the instance's own container binds as it comes up: not a conflict. */
export function ownProxy(owner: PortOwner | undefined, bindingId: string | undefined, id: string): boolean {
  return owner?.name === 'docker-proxy' && bindingId === id;
}

/**
 * Whether the program on one of an instance's ports is the instance's own doing (pure): Docker's proxy for its own
 * container coming up, or a program run inside its checkout (its dev server) on a port none of its containers
 * publishes. On a port its instance file publishes, any other program is in Compose's way, wherever it was started.
 */
export function ownHolder(
  owner: PortOwner | undefined,
  port: number,
  inst: { id: string; folder: string; containerPorts: ReadonlySet<number> },
  bindingId?: string,
): boolean {
  if (ownProxy(owner, bindingId, inst.id)) return true;
  return runsInside(owner, inst.folder) && !inst.containerPorts.has(port);
}

/** A program whose working folder is the checkout or below it. */
function runsInside(owner: PortOwner | undefined, folder: string): boolean {
  return Boolean(
    owner?.cwd && (owner.cwd === folder || owner.cwd.startsWith(folder.endsWith('/') ? folder : `${folder}/`)),
  );
}

/**
 * Ports claimed by two names on one engine: our registrations (shown by label) and the seed file's reservations
 * (this machine's), naming its lines.
 */
function registryConflicts(state: RegistryState, labels: ReadonlyMap<string, string>): Conflict[] {
  const claims = new Map<string, { port: number; service: string; name: string; line?: number }[]>();
  const claim = (engine: string, port: number, service: string, name: string, line?: number) =>
    claims.set(`${engine} ${port}`, [...(claims.get(`${engine} ${port}`) ?? []), { port, service, name, line }]);
  for (const inst of state.instances)
    for (const [p, s] of portsByKey(inst.ports, inst.spans))
      claim(inst.engine ?? '', p, s, labels.get(instanceId(inst))!);
  for (const e of state.foreign) for (const [s, p] of Object.entries(e.ports)) claim('', p, s, e.name, e.line);
  const conflicts: Conflict[] = [];
  for (const owners of claims.values()) {
    const port = owners[0]!.port;
    const names = [...new Set(owners.map((o) => o.name))];
    if (names.length < 2) continue;
    const lines = owners.filter((o) => o.line !== undefined).map((o) => ({ name: o.name, line: o.line! }));
    conflicts.push({
      port,
      kind: 'registry',
      service: owners[0]!.service,
      instances: names,
      ...(lines.length ? { registryLines: lines } : {}),
    });
  }
  return conflicts;
}
