import { toErrorPayload } from '../../shared/errors';
import type { ApiEventBus } from '../controller/events';
import { notificationsFor } from '../controller/notifications';
import type { EngineState, Overview } from '../../shared/api/table';

/** An overview as built from the registry and live status; the publisher adds `refreshError`. */
export type OverviewData = Omit<Overview, 'refreshError'>;

export interface PublisherOptions {
  /** Builds a fresh overview (registry, live status, conflicts). May fail: a broken registry, say. */
  build: () => Promise<OverviewData>;
  events: Pick<ApiEventBus, 'emit'>;
  /** The engine's state, for an overview that could not be built before any was. */
  engine?: () => EngineState;
  /** How long a burst of changes is gathered into one publish. */
  coalesceMs?: number;
  /** Notifications are off (the user's setting): overviews are still published, their notifications are not. */
  quiet?: () => boolean;
}

/** What failed, by source: the overview's own refresh, or the port re-check. */
export type FailureSource = 'refresh' | 're-check';

const WHAT: Record<FailureSource, string> = { refresh: 'refreshing the overview', 're-check': 'the port re-check' };
const ORDER: readonly FailureSource[] = ['refresh', 're-check'];

/** "Refreshing the overview failed: …", one cause said once when both failed of it. */
export function failureText(failures: ReadonlyMap<FailureSource, string>): string | null {
  const failed = ORDER.filter((s) => failures.has(s));
  if (!failed.length) return null;
  const causes = new Set(failed.map((s) => failures.get(s)));
  const sentence = (what: string, cause: string | undefined) =>
    `${what[0]!.toUpperCase()}${what.slice(1)} failed: ${cause}`;
  if (causes.size === 1) return sentence(failed.map((s) => WHAT[s]).join(' and '), failures.get(failed[0]!));
  return failed.map((s) => sentence(WHAT[s], failures.get(s))).join('; ');
}

/**
 * Keeps the windows' overview current: coalesces bursts of changes into one
 * build, publishes it only when it differs from the last one sent (with the
 * notifications the difference deserves), one publish at a time so each diff
 * is taken against what was really sent. A failed refresh or re-check is
 * published too, as `refreshError` on the last overview, until it succeeds.
 */
export class OverviewPublisher {
  private last?: Overview;
  private pending?: NodeJS.Timeout;
  private chain: Promise<void> = Promise.resolve();
  private readonly failures = new Map<FailureSource, string>();
  private stopped = false;

  constructor(private readonly opts: PublisherOptions) {}

  /** Asks for a publish soon; calls until then are one publish. */
  schedule(): void {
    if (this.pending || this.stopped) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.publish();
    }, this.opts.coalesceMs ?? 15);
  }

  /** Builds and publishes now (after any publish in progress); resolves when done. Never rejects. */
  publish(): Promise<void> {
    this.chain = this.chain.then(() => this.publishOnce());
    return this.chain;
  }

  /** Records a failure of `source` (or its recovery, with null); shows on the next publish. */
  report(source: FailureSource, error: unknown): void {
    const before = this.failures.get(source);
    if (error === null) this.failures.delete(source);
    else this.failures.set(source, toErrorPayload(error).message);
    if (before !== this.failures.get(source)) this.schedule();
  }

  /** The last overview sent, or a fresh one before the first publish. */
  async current(): Promise<Overview> {
    return this.last ?? this.withFailures(await this.opts.build());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.pending);
    this.pending = undefined;
  }

  private withFailures(data: OverviewData): Overview {
    return { ...data, refreshError: failureText(this.failures) };
  }

  private async publishOnce(): Promise<void> {
    let next: Overview;
    try {
      const data = await this.opts.build();
      this.failures.delete('refresh');
      next = this.withFailures(data);
    } catch (err) {
      this.failures.set('refresh', toErrorPayload(err).message);
      // What was shown stays, marked stale; before any overview, an empty one carries the error.
      next = this.withFailures(
        this.last ?? { engine: this.opts.engine?.() ?? 'connecting', engines: [], instances: [], conflicts: [] },
      );
    }
    if (this.stopped || (this.last && JSON.stringify(this.last) === JSON.stringify(next))) return;
    const prev = this.last;
    this.last = next;
    this.opts.events.emit('overview', next);
    const notes = notificationsFor(prev, next);
    if (notes.length && !this.opts.quiet?.()) for (const n of notes) this.opts.events.emit('notification', n);
  }
}
