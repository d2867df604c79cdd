import type { OpenTunnel } from './sshTunnel';
import type { TunnelPlan } from './tunnel';

type SshPlan = Extract<TunnelPlan, { kind: 'ssh' }>;

/** One kept tunnel as the window or a log would show it. */
export interface KeptTunnel {
  readonly name: string;
  readonly state: 'open' | 'opening' | 'retrying';
  readonly ports: readonly number[];
  /** Why it is not open (ssh's last word, a local port conflict), while retrying. */
  readonly error?: string;
}

export interface TunnelKeeperOptions {
  /** The tunnels wanted now: running instances on SSH engines whose toggle is on (the caller decides). */
  wanted(): Promise<SshPlan[]>;
  /** Checks the local ports and opens one tunnel, resolving once it forwards (openTunnel in production). */
  open(plan: SshPlan): Promise<OpenTunnel>;
  /** How often `wanted` is asked again (instances start and stop, toggles change). */
  intervalMs?: number;
  /** The first retry after a drop or a failure, doubled each time up to `maxBackoffMs`. */
  firstBackoffMs?: number;
  maxBackoffMs?: number;
  changed?(tunnels: KeptTunnel[]): void;
}

interface Entry {
  plan: SshPlan;
  /** Endpoint and ports: a change (reassigned ports, another engine) means a new tunnel. */
  sig: string;
  tunnel?: OpenTunnel;
  opening: boolean;
  failures: number;
  openedAt?: number;
  error?: string;
  retry?: NodeJS.Timeout;
}

const signature = (p: SshPlan) => `${p.endpoint} ${p.remoteHost} ${p.forwards.map((f) => f.port).join(',')}`;

/**
 * Keeps SSH tunnels open for the desktop app and `axi serve` (issue 11, section 4): one per wanted instance,
 * closed when it is no longer wanted, restarted with exponential backoff when it drops or cannot open.
 */
export class TunnelKeeper {
  private readonly entries = new Map<string, Entry>();
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private stopped = false;

  constructor(private readonly opts: TunnelKeeperOptions) {}

  start(): void {
    this.stopped = false;
    void this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), this.opts.intervalMs ?? 15_000);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pass;
    await Promise.all([...this.entries.keys()].map((name) => this.drop(name)));
  }

  tunnels(): KeptTunnel[] {
    return [...this.entries.values()].map((e) => ({
      name: e.plan.name,
      state: e.tunnel ? 'open' : e.opening ? 'opening' : 'retrying',
      ports: e.plan.forwards.map((f) => f.port),
      ...(e.error && !e.tunnel ? { error: e.error } : {}),
    }));
  }

  /** One pass at a time: asks what is wanted, closes the rest, opens what is missing. */
  reconcile(): Promise<void> {
    return (this.pass ??= this.reconcileOnce().finally(() => (this.pass = undefined)));
  }

  private async reconcileOnce(): Promise<void> {
    let plans: SshPlan[];
    try {
      plans = await this.opts.wanted();
    } catch {
      return; // the registry or an engine could not be read: keep what is open, ask again next time
    }
    if (this.stopped) return;
    const wanted = new Map(plans.map((p) => [p.name, p]));
    for (const [name, e] of this.entries) {
      const p = wanted.get(name);
      if (!p || signature(p) !== e.sig) await this.drop(name);
    }
    for (const p of wanted.values()) {
      if (this.entries.has(p.name)) continue;
      const e: Entry = { plan: p, sig: signature(p), opening: false, failures: 0 };
      this.entries.set(p.name, e);
      void this.openEntry(e);
    }
    this.notify();
  }

  private async drop(name: string): Promise<void> {
    const e = this.entries.get(name);
    if (!e) return;
    this.entries.delete(name);
    clearTimeout(e.retry);
    this.notify(); // the overview stops sending requests through it before it closes
    await e.tunnel?.close();
  }

  private async openEntry(e: Entry): Promise<void> {
    e.opening = true;
    this.notify();
    try {
      const t = await this.opts.open(e.plan);
      if (this.entries.get(e.plan.name) !== e) return void (await t.close()); // dropped meanwhile
      Object.assign(e, { tunnel: t, opening: false, openedAt: Date.now(), error: undefined });
      this.notify();
      void t.ended.then((end) => {
        if (end.closed || this.entries.get(e.plan.name) !== e) return;
        this.fail(e, end.reason);
      });
    } catch (err) {
      if (this.entries.get(e.plan.name) === e) this.fail(e, (err as Error).message);
    }
  }

  /** Retries after 1 s, 2 s, 4 s … up to the maximum; a tunnel that stayed up that long starts over at 1 s. */
  private fail(e: Entry, reason: string): void {
    const max = this.opts.maxBackoffMs ?? 60_000;
    if (e.openedAt !== undefined && Date.now() - e.openedAt >= max) e.failures = 0;
    const delay = Math.min(max, (this.opts.firstBackoffMs ?? 1000) * 2 ** e.failures);
    Object.assign(e, { tunnel: undefined, opening: false, openedAt: undefined, error: reason });
    e.failures++;
    e.retry = setTimeout(() => void this.openEntry(e), delay);
    e.retry.unref?.();
    this.notify();
  }

  private notify(): void {
    this.opts.changed?.(this.tunnels());
  }
}
