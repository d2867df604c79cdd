import type { StackView } from '../../shared/api/table';

export interface DeployedStacksDeps {
  /** Each instance's deployed stack by instance id: one request per engine that has one, none without. */
  read(): Promise<ReadonlyMap<string, StackView>>;
  /** What the window shows changed. */
  changed(): void;
  /** At most one look per this many ms, however many engine events ask (a stack's tasks come in bursts). */
  minGapMs?: number;
  /** While a stack is short of its tasks, the next look comes this soon (default 2 s). */
  convergingMs?: number;
}

/**
 * The Swarm stacks `axi stack --deploy` made, for the overview: looked at when the app starts, on the
 * re-check timer, after the engines' events and, while a stack is short of its tasks, every 2 s until it is
 * whole; coalesced so a burst is one request per engine that has a stack (none without). An engine that
 * does not answer shows no stack until it answers again (its cards say the engine is unreachable).
 */
export class DeployedStacks {
  private views: ReadonlyMap<string, StackView> = new Map();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private last = 0;

  constructor(private readonly deps: DeployedStacksDeps) {}

  current(): ReadonlyMap<string, StackView> {
    return this.views;
  }

  /** Looks soon: now when the last look is old enough (or `afterMs`), else once the gap has passed. */
  request(afterMs = 0): void {
    const wait = Math.max(afterMs, this.last + (this.deps.minGapMs ?? 1000) - Date.now());
    // One look pending at a time: the earlier of the one asked for and the one already set.
    if (this.timer && this.timerAt <= Date.now() + wait) return;
    clearTimeout(this.timer);
    this.timerAt = Date.now() + wait;
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
    // Swarm's tasks are not the Compose containers the status model follows: while a stack is short of its
    // tasks (starting, rescheduled, failing), it is looked at again soon; once whole, on the re-check timer.
    if ([...next.values()].some((s) => s.running !== s.desired)) this.request(this.deps.convergingMs ?? 2000);
    if (JSON.stringify([...next]) === JSON.stringify([...this.views])) return;
    this.views = next;
    this.deps.changed();
  }
}
