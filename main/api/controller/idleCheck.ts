/**
 * Idle sleep and wake in the app and `axi serve`: one tick for all instances (on the conflict re-check's
 * timer, no per-instance pollers) gathers what core/instances/idle.ts decides on, and puts the idle ones to sleep
 * with `compose stop` under the operation tracker. Waking is one start per instance however many
 * requests ask (the router holds them), through the same path as the window's Start.
 */
import { connectionActivity, hostEstablished, type ConnectionActivity } from '../../core/ports/hostConnections';
import { decideIdle, usedConnections, type IdleInput, type IdleMemory } from '../../core/instances/idle';
import { idleNotifies, idleTimeFor } from '../../shared/schemas/idlePolicy';
import { isHttpKey } from '../../core/routes/routes';
import { instanceId } from '../../core/registry/instanceRef';
import type { InstanceRecord } from '../../core/registry/record';
import { loadRepoConfig } from '../../core/project/repoConfig';
import { markAsleep, readSleepState, type SleepState } from '../../core/registry/sleepState';
import type { InstanceView, Overview } from '../../shared/api/table';

export interface IdleDeps {
  home: string;
  records(): Promise<InstanceRecord[]>;
  overview(): Promise<Pick<Overview, 'instances'>>;
  /** Our own operations and streams on an instance now (a start, `logs -f`, a kept tunnel). */
  busyOn(id: string, view: InstanceView): string[];
  /** Runs the stop under the tracker, as the window's Stop does (the card shows "Going to sleep"). */
  sleep(id: string, label: string, run: () => Promise<void>): Promise<void>;
  stop(id: string): Promise<unknown>;
  /** The window's Start: `up --wait`, steps as progress. */
  start(id: string): Promise<unknown>;
  changed(): void;
  /** Tests: the host's connections by local port (else /proc/net/tcp*, or netstat off Linux). */
  connections?: () => Promise<Map<number, number> | undefined>;
  /** Tests: how long each connection has been quiet (else `ss`), asked only when an HTTP port has one. */
  activity?: () => Promise<ConnectionActivity[] | undefined>;
  now?: () => number;
}

/** How long a repository's `idle:` setting is trusted before the file is read again. */
const CONFIG_TTL_MS = 60_000;

export class IdleCheck {
  private memory = new Map<string, IdleMemory>();
  private readonly hits = new Map<string, number>();
  private readonly waking = new Map<string, Promise<void>>();
  /** Per instance: its repository asked for a notification when it is put to sleep. */
  private readonly notifies = new Map<string, boolean>();
  private readonly policies = new Map<string, { at: number; idleMs: number | null; notify: boolean }>();
  private ticking: Promise<void> | undefined;
  /**
   * The router, where one runs here: its own connections to the instances (by local port; its requests
   * count, its sockets do not), and per instance its requests in flight and WebSocket bytes.
   */
  router: {
    sockets(): ReadonlySet<number>;
    usage(): ReadonlyMap<string, { inflight: number; wsBytes: number }>;
  } = { sockets: () => new Set(), usage: () => new Map() };

  constructor(private readonly deps: IdleDeps) {}

  /** The router passed a request (or a WebSocket) to this instance. */
  hit(id: string): void {
    this.hits.set(id, (this.hits.get(id) ?? 0) + 1);
  }

  /**
   * One look at every instance; a tick still running makes this one a no-op. Never rejects: a look that fails
   * (a registry that cannot be read, which the re-check reports) puts nothing to sleep, and must not end the process.
   */
  tick(): Promise<void> {
    this.ticking ??= this.tickNow()
      .catch(
        (err: unknown) =>
          void (process.env.AXI_IDLE_DEBUG && process.stderr.write(`idle look failed: ${String(err)}\n`)),
      )
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /**
   * Starts a sleeping instance once, however many ask: later callers get the same promise. Resolves
   * when it is running and healthy; rejects with the start's error.
   */
  wake(id: string): Promise<void> {
    const kept = this.waking.get(id);
    if (kept) return kept;
    const w = this.deps
      .start(id)
      .then(() => void this.memory.delete(id)) // a fresh idle time from now
      .finally(() => this.waking.delete(id));
    this.waking.set(id, w);
    return w;
  }

  isWaking(id: string): boolean {
    return this.waking.has(id);
  }

  private async policyOf(rec: InstanceRecord, now: number): Promise<{ idleMs: number | null; notify: boolean }> {
    const kept = this.policies.get(rec.folder);
    if (kept && now - kept.at < CONFIG_TTL_MS) return kept;
    const policy = await loadRepoConfig(rec.folder).then(
      (c) => ({ idleMs: idleTimeFor(c.config.idle, rec.main), notify: idleNotifies(c.config.idle) }),
      () => ({ idleMs: null, notify: false }), // an unreadable config never puts anything to sleep
    );
    this.policies.set(rec.folder, { at: now, ...policy });
    return policy;
  }

  private async inputs(
    now: number,
    sleep: SleepState,
  ): Promise<{ inputs: IdleInput[]; views: Map<string, InstanceView> }> {
    const from = this.router.sockets();
    const routed = this.router.usage();
    const [records, overview, conns] = await Promise.all([
      this.deps.records(),
      this.deps.overview(),
      this.deps.connections ? this.deps.connections() : hostEstablished(from),
    ]);
    const views = new Map(overview.instances.map((i) => [i.id, i]));
    let activity: Promise<ConnectionActivity[] | undefined> | undefined;
    const inputs: IdleInput[] = [];
    for (const rec of records) {
      const id = instanceId(rec);
      const view = views.get(id);
      if (!view) continue;
      const { idleMs, notify } = await this.policyOf(rec, now);
      this.notifies.set(id, notify);
      // A remote engine's TCP table is not ours: only router hits and our own operations count there.
      const local = !rec.engine && Object.keys(rec.ports).length > 0;
      // How long a connection has been quiet matters only for an HTTP port with one open: `ss` only then.
      const quietMatters = local && Object.entries(rec.ports).some(([k, p]) => isHttpKey(k) && conns?.get(p));
      if (quietMatters) activity ??= this.deps.activity ? this.deps.activity() : connectionActivity();
      const unknown = local && !conns ? ['connections unknown'] : []; // no /proc, no netstat: never stopped blind
      inputs.push({
        id,
        running: view.status === 'running' || view.status === 'partial',
        idleMs,
        pinned: sleep.pinned.includes(id),
        hits: (this.hits.get(id) ?? 0) + (routed.get(id)?.wsBytes ?? 0),
        connections: local ? usedConnections(rec.ports, conns, quietMatters ? await activity : [], idleMs, from) : 0,
        busy: [
          ...this.deps.busyOn(id, view),
          ...(this.waking.has(id) ? ['wake'] : []),
          ...(routed.get(id)?.inflight ? ['a request through the router'] : []),
          ...unknown,
        ],
      });
    }
    return { inputs, views };
  }

  private async tickNow(): Promise<void> {
    const now = (this.deps.now ?? Date.now)();
    const sleep = await readSleepState(this.deps.home);
    const { inputs, views } = await this.inputs(now, sleep);
    const verdict = decideIdle(now, inputs, this.memory);
    if (process.env.AXI_IDLE_DEBUG) process.stderr.write(`idle ${now} ${JSON.stringify(inputs)}\n`);
    this.memory = verdict.memory;
    for (const { id, why } of verdict.sleep) {
      const view = views.get(id)!;
      const hits = this.hits.get(id) ?? 0;
      await this.deps
        .sleep(id, view.label, async () => {
          // Looked at again at the last moment: a pin, a request or a wake since the tick keeps it up.
          if (await this.usedSince(id, hits)) return;
          await this.deps.stop(id);
          const notify = this.notifies.get(id) ? { notify: true } : {};
          await markAsleep(this.deps.home, id, { since: (this.deps.now ?? Date.now)(), why, ...notify });
        })
        .catch(() => undefined); // the tracker keeps the error on the card
      this.deps.changed();
    }
  }

  private async usedSince(id: string, hits: number): Promise<boolean> {
    if ((this.hits.get(id) ?? 0) !== hits || this.waking.has(id)) return true;
    return (await readSleepState(this.deps.home)).pinned.includes(id);
  }
}
