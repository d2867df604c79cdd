import { watch } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { instanceLabels } from '../core/instanceRef';
import type { InstanceService } from '../core/service';
import type { OverviewPublisher } from './overviewPublisher';
import type { ConflictView } from './table';
import { conflictView, type FolderInfoCache } from './views';

export interface RecheckDeps {
  service: Pick<InstanceService, 'readState' | 'checkPorts'>;
  /** Keys of the operations running now (instance ids among them). */
  busyKeys(): string[];
  folders: FolderInfoCache;
  publisher: Pick<OverviewPublisher, 'schedule' | 'report'>;
}

/**
 * The port re-check: which registered ports another instance or program
 * holds. Also the pace at which branches and removed folders are read again.
 * A failure is reported to the publisher (the window's banner, the tray's
 * tooltip) until a re-check succeeds.
 */
export class PortRecheck {
  private conflicts: ConflictView[] = [];
  private listening: ReadonlySet<number> = new Set();

  constructor(private readonly deps: RecheckDeps) {}

  current(): ConflictView[] {
    return this.conflicts;
  }

  /** Registered ports something listened on at the last re-check. */
  listeningPorts(): ReadonlySet<number> {
    return this.listening;
  }

  /** Re-checks; publishes when the conflicts changed, or always with `force` (after a registry change). */
  async run(force = false): Promise<void> {
    this.deps.folders.clear();
    let changed = force;
    try {
      // An instance being started or reset holds its ports in passing (Docker's proxies bind before the
      // container lists them): not a conflict to report until the operation ends and the next check runs.
      const state = await this.deps.service.readState();
      const labels = instanceLabels(state.instances);
      const busy = new Set(this.deps.busyKeys().map((id) => labels.get(id)));
      const { conflicts, listening } = await this.deps.service.checkPorts({}, state);
      const next = conflicts
        .filter((c) => !(c.kind === 'host' && c.instances.every((i) => busy.has(i))))
        .map(conflictView);
      this.deps.publisher.report('re-check', null);
      if ([...listening].sort().join() !== [...this.listening].sort().join()) changed = true;
      this.listening = listening;
      if (JSON.stringify(next) !== JSON.stringify(this.conflicts)) {
        this.conflicts = next;
        changed = true;
      }
    } catch (err) {
      this.deps.publisher.report('re-check', err);
    }
    if (changed) this.deps.publisher.schedule();
  }
}

export interface RecheckTriggers {
  /** AXI_HOME: its instances.json is followed. */
  home: string;
  intervalMs: number;
  /** The service in this process: emits `changed` after it writes the registry. */
  service: Pick<InstanceService, 'on' | 'off'>;
  recheck: (force: boolean) => Promise<void>;
}

/**
 * When to re-check: on a timer (another program may take a registered port),
 * after this process changes the registry, and when the CLI in another
 * terminal does (the registry file is watched, not polled). Returns `stop`.
 */
export async function setupRechecks(t: RecheckTriggers): Promise<() => void> {
  const onChanged = () => void t.recheck(false);
  t.service.on('changed', onChanged);
  await mkdir(t.home, { recursive: true });
  const watcher = watch(t.home, { persistent: false }, (_type, file) => {
    if (file === 'instances.json') void t.recheck(true);
  });
  // A watcher that dies (its folder removed) leaves the timer, which reports what fails.
  watcher.on('error', () => undefined);
  const timer = setInterval(() => void t.recheck(false), t.intervalMs);
  timer.unref();
  return () => {
    t.service.off('changed', onChanged);
    watcher.close();
    clearInterval(timer);
  };
}
