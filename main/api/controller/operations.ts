import { AxiError, toErrorPayload } from '../../shared/errors';
import type { NotificationView } from '../../shared/api/table';

/** The key of a folder being registered (it has no instance id yet). */
export const folderKey = (dir: string): string => `folder:${dir}`;

/** One mutating call: what it works on, how to name that to a person, and what it does. */
export interface Operation {
  /** An instance's id, or `folder:<path>` for a folder being registered. */
  key: string;
  /** The instance's label or the folder, for messages. */
  label: string;
  /** "start", "stop", "reset", "register", …: what the window shows while it runs. */
  what: string;
  /** Tell the user of a failure by notification: the caller has no place to show it (the tray). */
  notifyFailure?: boolean;
}

export interface TrackerHooks {
  /** Busy or error state changed: the overview should follow. */
  changed(): void;
  /** An operation ended, either way: what it held (ports, say) may be free again. */
  settled(op: Operation): void;
  notify(n: NotificationView): void;
  progress(key: string, line: string): void;
}

/**
 * Busy and error state of every mutating call. One operation per key at a
 * time; a failure is kept in place (shown on the instance) until the next
 * operation on it starts; a port conflict is also a notification.
 */
export class OperationTracker {
  private readonly busy = new Map<string, string>();
  private readonly started = new Map<string, number>();
  private readonly errors = new Map<string, string>();

  constructor(private readonly hooks: TrackerHooks) {}

  /** What runs on `key`, if anything. */
  busyWith(key: string): string | null {
    return this.busy.get(key) ?? null;
  }

  /** When what runs on `key` began (ms): the window shows how long it has taken. */
  busySince(key: string): number | null {
    return this.started.get(key) ?? null;
  }

  /** The last failure on `key`, until its next operation starts. */
  errorOf(key: string): string | null {
    return this.errors.get(key) ?? null;
  }

  busyKeys(): string[] {
    return [...this.busy.keys()];
  }

  async run<T>(op: Operation, fn: (progress: (line: string) => void) => Promise<T>): Promise<T> {
    const running = this.busy.get(op.key);
    if (running)
      throw new AxiError('BUSY', `${op.label} is busy (${running})`, {
        operation: running,
        since: this.started.get(op.key),
      });
    this.busy.set(op.key, op.what);
    this.started.set(op.key, Date.now());
    this.errors.delete(op.key);
    this.hooks.changed();
    try {
      return await fn((line) => this.hooks.progress(op.key, line));
    } catch (err) {
      this.failed(op, err);
      throw err;
    } finally {
      this.busy.delete(op.key);
      this.started.delete(op.key);
      this.hooks.changed();
      this.hooks.settled(op);
    }
  }

  private failed(op: Operation, err: unknown): void {
    const e = toErrorPayload(err);
    this.errors.set(op.key, e.message);
    const instance = op.key.startsWith('folder:') ? null : op.label;
    if (e.code === 'PORT_CONFLICT') {
      this.hooks.notify({ kind: 'conflict', title: 'Port conflict', body: e.message, instance });
    } else if (op.notifyFailure) {
      this.hooks.notify({ kind: 'failed', title: `Could not ${op.what} ${op.label}`, body: e.message, instance: null });
    }
  }
}
