import type { StackView } from './table';

export interface DeployedStacksDeps {
  /** Each instance's deployed stack by instance id: one request per engine that has one, none without. */
  read(): Promise<ReadonlyMap<string, StackView>>;
  /** What the window shows changed. */
  changed(): void;
  /** At most one look per this many ms, however many engine events ask (a stack's tasks come in bursts). */
  minGapMs?: number;
}

/**
 * The Swarm stacks `axi stack --deploy` made, for the overview: looked at when the app starts, on the
 * re-check timer and after engine events (a task starting or dying is a container event), coalesced so
 * a burst of events is one request per engine. An engine that does not answer shows no stack until it
 * answers again (its cards say the engine is unreachable).
 */
export class DeployedStacks {
  private views: ReadonlyMap<string, StackView> = new Map();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  constructor(private readonly deps: DeployedStacksDeps) {}

  current(): ReadonlyMap<string, StackView> {
    return this.views;
  }

  /** Looks soon: now when the last look is old enough, else once the gap has passed. */
  request(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.last + (this.deps.minGapMs ?? 1000) - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, wait);
    this.timer.unref();
  }

  /** Looks now (once more after a look already under way). */
  async refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.look().finally(() => (this.running = undefined));
    await this.running;
    if (this.again) {
      this.again = false;
      await this.refresh();
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async look(): Promise<void> {
    this.last = Date.now();
    const next = await this.deps.read().catch(() => this.views);
    if (JSON.stringify([...next]) === JSON.stringify([...this.views])) return;
    this.views = next;
    this.deps.changed();
  }
}
