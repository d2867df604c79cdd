import { EventEmitter } from 'node:events';
import type Dockerode from 'dockerode';
import type { DockerConnection } from '../engine/connection';
import { fromListEntry, type ContainerStatus } from './status';
import { PROJECT_LABEL } from '../../core/project/naming';
import type { EngineState } from '../../shared/states';

export type { EngineState };

/** An engine event as recent engines send it (`Action`, `Actor.ID`; the old `status`/`id` are gone). */
interface EngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** What the model asks of an engine: its event stream and its container list (a fake in unit tests). */
export type EngineReader = Pick<Dockerode, 'getEvents' | 'listContainers'>;

export interface StatusModelOptions {
  connect: () => Promise<Pick<DockerConnection, 'docker'> | { docker: EngineReader }>;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often the whole container list is taken again as the truth (0: never). */
  reconcileMs?: number;
}

/** The state an event leaves its container in, where the engine's list may lag behind the event. */
const SETTLED_STATE: Record<string, string> = { pause: 'paused', unpause: 'running' };

/** What a card shows of a container: a listing that differs only in its "Up 3 minutes" text is no change. */
const shown = (c: ContainerStatus) => JSON.stringify([c.state, c.health, c.portMap, c.project, c.service]);

/**
 * Live container status from one engine event subscription (no polling).
 * Emits `change` with the compose projects that changed, and `engine` with
 * the connection state; while the engine is away every status is unknown,
 * and it reconnects with backoff.
 */
export class StatusModel extends EventEmitter {
  private readonly containers = new Map<string, ContainerStatus>();
  /** Per container, the number of its latest event. */
  private readonly latest = new Map<string, number>();
  /** Containers someone asked to stop (a kill or stop event reached them since they last started). */
  private readonly asked = new Set<string>();
  private docker?: EngineReader;
  private stream?: NodeJS.ReadableStream;
  private retry?: NodeJS.Timeout;
  private slowTimer?: NodeJS.Timeout;
  private backoff: number;
  private stopped = false;
  /** Bumped by reconnect(): a connection begun before it is dropped when it completes. */
  private epoch = 0;
  engine: EngineState = 'connecting';

  constructor(private readonly opts: StatusModelOptions) {
    super();
    this.backoff = opts.minBackoffMs ?? 200;
  }

  /** Containers of a project, or undefined while the engine's state is unknown. */
  project(project: string): ContainerStatus[] | undefined {
    if (this.engine !== 'connected') return undefined;
    return [...this.containers.values()].filter((c) => c.project === project);
  }

  async start(): Promise<void> {
    this.stopped = false;
    const every = this.opts.reconcileMs ?? 10_000;
    if (every > 0 && !this.slowTimer) {
      this.slowTimer = setInterval(() => void this.reconcile(), every);
      this.slowTimer.unref?.();
    }
    await this.connectOnce().catch(() => this.scheduleReconnect());
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.slowTimer);
    this.slowTimer = undefined;
    clearTimeout(this.retry);
    (this.stream as unknown as { destroy?: () => void })?.destroy?.();
    this.stream = undefined;
  }

  /**
   * Drops the connection and makes a new one (the Docker endpoint changed): the state is
   * `connecting` until the new engine answers, `unknown` (and retried) if it does not.
   */
  async reconnect(): Promise<void> {
    this.epoch++;
    clearTimeout(this.retry);
    const old = this.stream;
    this.stream = undefined; // before destroying it, so its end is not taken for a lost engine
    (old as unknown as { destroy?: () => void })?.destroy?.();
    this.containers.clear();
    this.backoff = this.opts.minBackoffMs ?? 200;
    this.setEngine('connecting');
    this.emit('change', null);
    if (this.stopped) return;
    const epoch = this.epoch;
    await this.connectOnce().catch(() => epoch === this.epoch && this.scheduleReconnect());
  }

  /**
   * Takes the engine's container list as the truth. Events are applied one listing at a time, and the
   * engine may answer those out of order or drop events under load (a copy pauses and unpauses several
   * containers at once): this is what makes the model converge, after each of our operations and on a
   * slow timer. A container with an event since the list was asked keeps what that event brought.
   */
  async reconcile(): Promise<void> {
    const docker = this.docker;
    if (!docker || this.engine !== 'connected') return;
    const epoch = this.epoch;
    const asked = new Map(this.latest);
    const list = await docker.listContainers({ all: true, filters: { label: [PROJECT_LABEL] } }).catch(() => undefined);
    if (!list || epoch !== this.epoch || this.engine !== 'connected') return;
    const moved = (id: string) => this.latest.get(id) !== asked.get(id);
    const fresh = new Map(list.map((c) => [c.Id, fromListEntry(c)]));
    let changed = false;
    for (const [id, c] of fresh) {
      const before = this.containers.get(id);
      if (moved(id) || (before && shown(before) === shown(c))) continue;
      this.containers.set(id, this.withAsked(c));
      changed = true;
    }
    for (const id of [...this.containers.keys()]) {
      if (fresh.has(id) || moved(id)) continue;
      this.containers.delete(id);
      changed = true;
    }
    if (changed) this.emit('change', null);
  }

  private setEngine(state: EngineState): void {
    if (this.engine === state) return;
    this.engine = state;
    this.emit('engine', state);
  }

  private async connectOnce(): Promise<void> {
    const epoch = this.epoch;
    const { docker } = await this.opts.connect();
    if (epoch !== this.epoch) return; // superseded by a reconnect to another endpoint
    this.docker = docker;
    // Subscribe first, then list: nothing that happens in between is missed.
    const stream = await docker.getEvents({ filters: { type: ['container'], label: [PROJECT_LABEL] } });
    if (epoch !== this.epoch) return void (stream as unknown as { destroy?: () => void }).destroy?.();
    const pending: EngineEvent[] = [];
    let ready = false;
    let buf = '';
    stream.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines) {
        if (!line.trim()) continue;
        let ev: EngineEvent;
        try {
          ev = JSON.parse(line) as EngineEvent;
        } catch {
          continue;
        }
        if (ready) void this.apply(ev);
        else pending.push(ev);
      }
    });
    const lost = () => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.containers.clear();
      this.setEngine('unknown');
      this.emit('change', null);
      this.scheduleReconnect();
    };
    stream.on('end', lost);
    stream.on('close', lost);
    stream.on('error', lost);
    this.stream = stream;

    const list = await docker.listContainers({ all: true, filters: { label: [PROJECT_LABEL] } });
    if (epoch !== this.epoch) return;
    this.containers.clear();
    for (const c of list) this.containers.set(c.Id, this.withAsked(fromListEntry(c)));
    ready = true;
    this.backoff = this.opts.minBackoffMs ?? 200;
    this.setEngine('connected');
    this.emit('change', null);
    for (const ev of pending) await this.apply(ev);
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setEngine('unknown');
    clearTimeout(this.retry);
    const epoch = this.epoch;
    this.retry = setTimeout(() => {
      this.connectOnce().catch(() => epoch === this.epoch && this.scheduleReconnect());
    }, this.backoff);
    this.retry.unref?.();
    this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs ?? 5000);
  }

  /**
   * The container's listing once it shows what `action` did. The engine logs pause and unpause before
   * its list reflects them, so a listing taken at once may still say the old state: asked again a few
   * times, briefly, while a newer event has not superseded this one.
   */
  private async listingAfter(id: string, action: string, seq: number) {
    const want = SETTLED_STATE[action];
    for (let attempt = 0; ; attempt++) {
      // The engine may be going away as its last events arrive: the stream's end handles that, not this call.
      const found = await this.docker?.listContainers({ all: true, filters: { id: [id] } }).catch(() => undefined);
      if (!want || !found?.[0] || found[0].State === want || attempt >= 8 || this.latest.get(id) !== seq) return found;
      await new Promise((r) => setTimeout(r, 25 * (attempt + 1)));
    }
  }

  private async apply(ev: EngineEvent): Promise<void> {
    const id = ev.Actor?.ID;
    const action = ev.Action ?? '';
    if (!id || action.startsWith('exec_')) return;
    // Listings of one container may answer out of order (pause, then unpause a moment later): only the
    // latest event's listing is kept, or a paused state could outlive its unpause.
    const seq = (this.latest.get(id) ?? 0) + 1;
    this.latest.set(id, seq);
    const before = this.containers.get(id);
    const project = ev.Actor?.Attributes?.[PROJECT_LABEL] ?? before?.project ?? '';
    // The engine sends `kill` (then `die`, `stop`) for every stop asked of it, by whoever asked; a crash is a bare `die`.
    if (action === 'kill' || action === 'stop') this.asked.add(id);
    else if (action === 'start' || action === 'unpause') this.asked.delete(id);
    if (action === 'destroy') {
      this.containers.delete(id);
      this.latest.delete(id);
      this.asked.delete(id);
    } else if (action.startsWith('health_status') && before) {
      // Applied from the event itself: no round trip, so health reaches the UI at once.
      const health = action.split(':')[1]?.trim();
      if (health === 'healthy' || health === 'unhealthy' || health === 'starting') {
        this.containers.set(id, { ...before, health });
      }
    } else {
      const found = await this.listingAfter(id, action, seq);
      if (!found || this.latest.get(id) !== seq) return;
      const [entry] = found;
      if (entry) this.containers.set(id, this.withAsked(fromListEntry(entry)));
      else this.containers.delete(id);
    }
    this.emit('change', project);
  }

  /** A container that is down because someone stopped it says so: no "stopped unexpectedly" for it. */
  private withAsked(c: ContainerStatus): ContainerStatus {
    return this.asked.has(c.id) && c.state !== 'running' ? { ...c, stopAsked: true } : c;
  }
}
