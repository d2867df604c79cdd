import { watch } from 'node:fs';
import { privateHome } from '../../core/registry/atomicWrite';
import { instanceId, instanceLabels } from '../../core/registry/instanceRef';
import type { RegistryState } from '../../core/registry/registry';
import type { Conflict } from '../../core/instances/serviceTypes';
import type { InstanceService } from '../../core/instances/service';
import type { OverviewPublisher } from '../overview/overviewPublisher';
import type { ConflictView } from '../../shared/api/table';
import { conflictView, type FolderInfoCache } from '../overview/views';

export interface RecheckDeps {
  service: Pick<InstanceService, 'readState' | 'checkPorts' | 'registryConflicts'>;
  /** Keys of the operations running now (instance ids among them). */
  busyKeys(): string[];
  folders: FolderInfoCache;
  publisher: Pick<OverviewPublisher, 'schedule' | 'report'>;
}

/**
 * The port re-check: which registered ports another instance or program
 * holds. Also the pace at which branches and removed folders are read again.
 * Each trigger probes only what it may have changed: the timer every local
 * instance's ports, an operation its own instance's, a registration none (its
 * ports were probed as they were allocated). A failure is reported to the
 * publisher (the window's banner, the tray's tooltip) until a re-check succeeds.
 */
export class PortRecheck {
  private inRegistry: Conflict[] = [];
  /** Host findings by instance id: a label changes when another repository's instance takes the same name. */
  private onHost: { id: string; conflict: Conflict }[] = [];
  private conflicts: ConflictView[] = [];
  private listening: ReadonlySet<number> = new Set();
  /** One check at a time, in the order asked: a slow full probe never lands after a later, smaller one. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RecheckDeps) {}

  current(): ConflictView[] {
    return this.conflicts;
  }

  /** Registered ports something listened on at the last re-check. */
  listeningPorts(): ReadonlySet<number> {
    return this.listening;
  }

  /** Every local instance's ports probed; publishes when the conflicts changed, or always with `force`. */
  run(force = false): Promise<void> {
    return this.check(force, async (state) => {
      const { conflicts, listening } = await this.deps.service.checkPorts({}, state);
      const ids = idsByLabel(state);
      this.inRegistry = conflicts.filter((c) => c.kind === 'registry');
      this.onHost = conflicts
        .filter((c) => c.kind === 'host')
        .map((c) => ({ id: ids.get(c.instances[0]!)!, conflict: c }));
      return listening;
    });
  }

  /** After an operation on one instance: its ports probed again, the others' last findings kept. */
  runFor(id: string): Promise<void> {
    return this.check(true, async (state) => {
      const rec = state.instances.find((i) => instanceId(i) === id);
      const kept = this.keepRegistered(state);
      // A remote instance's ports are on its engine's host: the full re-check leaves them out too.
      if (!rec || rec.engine) return kept;
      const { conflicts, listening } = await this.deps.service.checkPorts({ only: id }, state);
      const own = new Set(Object.values(rec.ports));
      const found = conflicts.filter((c) => c.kind === 'host').map((conflict) => ({ id, conflict }));
      this.onHost = [...this.onHost.filter((h) => h.id !== id), ...found];
      return new Set([...[...kept].filter((p) => !own.has(p)), ...listening]);
    });
  }

  /** After a registration or removal: the registry's own conflicts; the host's as last probed, for ports still registered. */
  refreshRegistry(): Promise<void> {
    return this.check(true, (state) => Promise.resolve(this.keepRegistered(state)));
  }

  /** Drops host findings about ports no longer registered to the instance; the registry's conflicts recomputed. */
  private keepRegistered(state: RegistryState): Set<number> {
    this.inRegistry = this.deps.service.registryConflicts(state);
    const registered = new Map(state.instances.map((i) => [instanceId(i), new Set(Object.values(i.ports))]));
    this.onHost = this.onHost.filter((h) => registered.get(h.id)?.has(h.conflict.port));
    const anyRegistered = new Set([...registered.values()].flatMap((ports) => [...ports]));
    return new Set([...this.listening].filter((p) => anyRegistered.has(p)));
  }

  private check(force: boolean, probe: (state: RegistryState) => Promise<ReadonlySet<number>>): Promise<void> {
    const next = this.queue.then(() => this.checkNow(force, probe));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async checkNow(force: boolean, probe: (state: RegistryState) => Promise<ReadonlySet<number>>): Promise<void> {
    this.deps.folders.clear();
    let changed = force;
    try {
      const state = await this.deps.service.readState();
      const listening = await probe(state);
      this.deps.publisher.report('re-check', null);
      if ([...listening].sort().join() !== [...this.listening].sort().join()) changed = true;
      this.listening = listening;
      const next = this.views(state);
      if (JSON.stringify(next) !== JSON.stringify(this.conflicts)) {
        this.conflicts = next;
        changed = true;
      }
    } catch (err) {
      this.deps.publisher.report('re-check', err);
    }
    if (changed) this.deps.publisher.schedule();
  }

  /**
   * An instance being started or reset holds its ports in passing (Docker's proxies bind before the
   * container lists them): not a conflict to report until the operation ends and its own check runs.
   * Host findings are named by each instance's label as it is now.
   */
  private views(state: RegistryState): ConflictView[] {
    const labels = instanceLabels(state.instances);
    const busy = new Set(this.deps.busyKeys());
    const host = this.onHost
      .filter((h) => !busy.has(h.id))
      .map((h) => ({ ...h.conflict, instances: [labels.get(h.id) ?? h.conflict.instances[0]!] }));
    return [...this.inRegistry, ...host]
      .sort((a, b) => a.port - b.port || a.kind.localeCompare(b.kind))
      .map(conflictView);
  }
}

/** Each instance's id by its label (how checkPorts names the instance of a host conflict). */
function idsByLabel(state: RegistryState): Map<string, string> {
  return new Map([...instanceLabels(state.instances)].map(([id, label]) => [label, id]));
}

export interface RecheckTriggers {
  /** AXI_HOME: its instances.json is followed. */
  home: string;
  intervalMs: number;
  /** The service in this process: emits `changed` after it writes the registry. */
  service: Pick<InstanceService, 'on' | 'off'>;
  /** Whether the registry file is not the version this process last read or wrote (a stat). */
  changedElsewhere(): Promise<boolean>;
  /** This process changed the registry: what it holds is looked at again, no port probed. */
  registryWritten(): Promise<void>;
  /** Another process changed it, or the timer fired: every port probed again. */
  recheck(force: boolean): Promise<void>;
  /** Git and our own renames touch the file in bursts: one look after they settle. */
  debounceMs?: number;
}

/**
 * When to re-check: on a timer (another program may take a registered port),
 * after this process changes the registry, and when the CLI in another
 * terminal does (the registry file is watched, not polled; our own writes are
 * told apart by the file's version). Returns `stop`.
 */
export async function setupRechecks(t: RecheckTriggers): Promise<() => void> {
  const onChanged = () => void t.registryWritten();
  t.service.on('changed', onChanged);
  await privateHome(t.home);
  let pending: NodeJS.Timeout | undefined;
  const lookAgain = async () => {
    if (await t.changedElsewhere().catch(() => true)) await t.recheck(true);
  };
  const watcher = watch(t.home, { persistent: false }, (_type, file) => {
    if (file !== 'instances.json') return;
    clearTimeout(pending);
    pending = setTimeout(() => void lookAgain(), t.debounceMs ?? 100);
    pending.unref();
  });
  // A watcher that dies (its folder removed) leaves the timer, which reports what fails.
  watcher.on('error', () => undefined);
  const timer = setInterval(() => void t.recheck(false), t.intervalMs);
  timer.unref();
  return () => {
    t.service.off('changed', onChanged);
    watcher.close();
    clearTimeout(pending);
    clearInterval(timer);
  };
}
