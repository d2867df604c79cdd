import { EventEmitter } from 'node:events';
import { engineLabel } from '../../shared/display/engine';
import type { EngineState, EngineView } from '../../shared/states';
import type { ContainerStatus } from '../status/status';

export type { EngineView };

/** What a per-engine follower offers: the status model's surface, behind an interface so units can fake it. */
export interface EngineFollower extends EventEmitter {
  readonly engine: EngineState;
  project(project: string): ContainerStatus[] | undefined;
  start(): Promise<void>;
  stop(): void;
  reconnect(): Promise<void>;
  /** Takes the engine's container list as the truth again (see StatusModel.reconcile). */
  reconcile?(): Promise<void>;
}

export interface EngineStatusOptions {
  /** The local engine's model (the default endpoint; it follows the Settings' endpoint by `reconnect`). */
  local: EngineFollower;
  /** A new, unstarted model on a registration's engine (a context name or DOCKER_HOST value). */
  remote: (engine: string) => EngineFollower;
}

/**
 * Live status of every engine that has instances: the local model plus one model per remote
 * engine, each with its own event stream and its own reconnect backoff, so losing one engine
 * makes only its instances `unknown`. Emits `change` and `engine` (with the engine's id, null: local).
 */
export class EngineStatusModels extends EventEmitter {
  private readonly remotes = new Map<string, EngineFollower>();
  private readonly local: EngineFollower;
  private started = false;

  constructor(private readonly opts: EngineStatusOptions) {
    super();
    this.local = opts.local;
    this.forward(this.local, null);
  }

  /** The local engine's state (what the top bar and the conflict check read). */
  get engine(): EngineState {
    return this.local.engine;
  }

  /** A project's containers on its engine (null/undefined: local), or undefined while that engine is not connected. */
  project(project: string, engine?: string | null): ContainerStatus[] | undefined {
    const model = engine ? this.remotes.get(engine) : this.local;
    return model?.project(project);
  }

  /** An engine's state; a remote engine not followed yet is still `connecting`. */
  stateOf(engine: string | null | undefined): EngineState {
    if (!engine) return this.local.engine;
    return this.remotes.get(engine)?.engine ?? 'connecting';
  }

  /** The remote engines followed, in the order they were first seen. */
  engines(): EngineView[] {
    return [...this.remotes].map(([id, m]) => ({ id, label: engineLabel(id), state: m.engine }));
  }

  /**
   * Follows exactly the remote engines among `engines` (the registrations' engines): new ones get a
   * model (started if this is), ones no registration names any more are stopped. Idempotent.
   */
  follow(engines: Iterable<string | null | undefined>): void {
    const wanted = new Set<string>();
    for (const e of engines) if (e) wanted.add(e);
    for (const [id, model] of this.remotes) {
      if (wanted.has(id)) continue;
      this.remotes.delete(id);
      model.removeAllListeners();
      model.stop();
      this.emit('engine', 'gone', id);
      this.emit('change', null);
    }
    for (const id of wanted) {
      if (this.remotes.has(id)) continue;
      const model = this.opts.remote(id);
      this.remotes.set(id, model);
      this.forward(model, id);
      if (this.started) void model.start();
      this.emit('change', null);
    }
  }

  async start(): Promise<void> {
    this.started = true;
    await Promise.all([this.local.start(), ...[...this.remotes.values()].map((m) => m.start())]);
  }

  stop(): void {
    this.started = false;
    this.local.stop();
    for (const m of this.remotes.values()) m.stop();
  }

  /** Every followed engine's container list taken as the truth again: after each of our operations. */
  async reconcile(): Promise<void> {
    const models = [this.local, ...this.remotes.values()];
    await Promise.all(models.map((m) => m.reconcile?.() ?? Promise.resolve()));
  }

  /** The local endpoint changed (Settings): only the local model reconnects; remote engines are named by their registrations. */
  reconnect(): Promise<void> {
    return this.local.reconnect();
  }

  private forward(model: EngineFollower, id: string | null): void {
    model.on('change', (project: string | null) => this.emit('change', project, id));
    model.on('engine', (state: EngineState) => this.emit('engine', state, id));
  }
}
