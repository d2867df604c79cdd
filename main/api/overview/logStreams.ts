import { randomUUID } from 'node:crypto';
import type { ApiEvents } from '../../shared/api/table';

/** The Docker side of logs: follows an instance's containers (one service or all) until `signal` aborts. */
export type LogSource = (
  name: string,
  opts: {
    service?: string;
    follow: true;
    tail: number;
    timestamps: true;
    signal: AbortSignal;
    onLine: (line: string, service: string, time?: string) => void;
  },
) => Promise<void>;

export interface LogStreamOptions {
  source: LogSource;
  emit: (event: ApiEvents['log']) => void;
  /** Lines of history sent first. */
  tail?: number;
  /** How long `start` waits for an early failure (no such service) before it answers with the stream. */
  settleMs?: number;
  newId?: () => string;
}

/**
 * Live log streams, one per open logs panel. Each line is pushed as a `log`
 * event carrying the stream's id, history included: those lines may arrive
 * before `start` has returned the id, and the window keeps them until it
 * knows it. Nothing is pushed for a stream once it is stopped.
 */
export class LogStreams {
  private readonly streams = new Map<string, AbortController>();
  /** Stream id → the instance followed: a followed instance is in use (idle sleep leaves it). */
  private readonly names = new Map<string, string>();

  constructor(private readonly opts: LogStreamOptions) {}

  /** Open streams (for tests and shutdown). */
  get size(): number {
    return this.streams.size;
  }

  /** The instances (as named to `start`) whose logs are followed now. */
  following(): string[] {
    return [...new Set([...this.names].filter(([s]) => this.streams.has(s)).map(([, n]) => n))];
  }

  /** Starts following; an error before the stream settles or its first line (no such instance or service) rejects. */
  async start(name: string, service: string | null): Promise<{ stream: string }> {
    const stream = (this.opts.newId ?? randomUUID)();
    const ctl = new AbortController();
    this.streams.set(stream, ctl);
    this.names.set(stream, name);
    // A first line proves the stream works: answer at once rather than wait out the settle time, so the
    // window (which shows lines once it knows the id) shows them as soon as the engine sends them.
    let flowing: () => void = () => undefined;
    const firstLine = new Promise<void>((resolve) => (flowing = resolve));
    const done = this.opts.source(name, {
      service: service ?? undefined,
      follow: true,
      tail: this.opts.tail ?? 200,
      timestamps: true,
      signal: ctl.signal,
      onLine: (line, svc, time) => {
        if (ctl.signal.aborted) return;
        this.opts.emit({ stream, service: svc, line, ...(time ? { time } : {}) });
        flowing();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const settled = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.opts.settleMs ?? 300)));
    try {
      await Promise.race([done, settled, firstLine]);
    } catch (err) {
      this.forget(stream, ctl);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    // A later failure, or the containers going away, ends the stream.
    void done.catch(() => undefined).finally(() => this.forget(stream, ctl));
    return { stream };
  }

  stop(stream: string): { stopped: boolean } {
    const ctl = this.streams.get(stream);
    ctl?.abort();
    this.streams.delete(stream);
    this.names.delete(stream);
    return { stopped: Boolean(ctl) };
  }

  stopAll(): void {
    for (const ctl of this.streams.values()) ctl.abort();
    this.streams.clear();
    this.names.clear();
  }

  private forget(stream: string, ctl: AbortController): void {
    ctl.abort();
    if (this.streams.get(stream) !== ctl) return;
    this.streams.delete(stream);
    this.names.delete(stream);
  }
}
