/**
 * The router's side of idle sleep: it counts each instance's requests, and holds a request for a
 * sleeping instance while the one start for it runs (the idle check's `wake`, the window's Start path),
 * then passes it on to that instance only. A browser navigation gets the "waking…" page instead.
 */
import type http from 'node:http';
import type { RouteDecision, RoutedInstance } from '../core/routes/routeDecision';
import type { Page } from './pages';
import { wakeFailedPage, wakeFailedText, wakingPage } from './wakePages';

export interface Waker {
  hit(id: string): void;
  wake(id: string): Promise<void>;
  isWaking(id: string): boolean;
}

type Held = Extract<RouteDecision, { kind: 'proxy' | 'stopped' | 'service-down' }>;
type Target = { host: string; port: number };

/** A failed wake is shown to navigations for this long before a reload tries again. */
const FAILURE_SHOWN_MS = 15_000;

export class WakeGate {
  private readonly lines = new Map<string, string[]>();
  private readonly failures = new Map<string, { text: string; at: number }>();

  constructor(
    private readonly waker: Waker,
    readonly timeoutMs: number,
  ) {}

  hit(id: string): void {
    this.waker.hit(id);
  }

  /** The card's step lines ("starting postgres"), as the controller's progress events bring them. */
  progress(id: string, line: string): void {
    if (this.waker.isWaking(id)) this.lines.set(id, [...(this.lines.get(id) ?? []), line].slice(-12));
  }

  /** Asleep, or being woken: its requests wait for the wake. */
  holds(i: RoutedInstance): boolean {
    return i.status === 'asleep' || this.waker.isWaking(i.id);
  }

  private wake(i: RoutedInstance): Promise<void> {
    if (!this.waker.isWaking(i.id)) this.lines.set(i.id, []);
    const w = this.waker.wake(i.id);
    w.then(
      () => this.failures.delete(i.id),
      (err: Error) => {
        const lines = this.lines.get(i.id) ?? [];
        this.failures.set(i.id, { text: wakeFailedText(i.label, lines.at(-1), err.message, 0), at: Date.now() });
      },
    );
    return w;
  }

  /** What a navigation gets now: the waking page, or the recent failure's. Starts the wake if none runs. */
  navigationPage(i: RoutedInstance): Page {
    const failed = this.failures.get(i.id);
    if (failed && Date.now() - failed.at < FAILURE_SHOWN_MS && !this.waker.isWaking(i.id))
      return wakeFailedPage(i.label, failed.text, this.lines.get(i.id) ?? []);
    void this.wake(i).catch(() => undefined);
    return wakingPage(i.label, this.lines.get(i.id) ?? []);
  }

  /** Waits for the wake (started if none runs); resolves with an error text where it failed or timed out. */
  async held(i: RoutedInstance): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => {
        const step = this.lines.get(i.id)?.at(-1);
        resolve(wakeFailedText(i.label, step, undefined, this.timeoutMs));
      }, this.timeoutMs);
    });
    const woke = this.wake(i).then(
      () => undefined,
      (err: Error) => wakeFailedText(i.label, this.lines.get(i.id)?.at(-1), err.message, this.timeoutMs),
    );
    try {
      return await Promise.race([woke, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A page load (not a fetch, an image or an API call): it can show a page that reloads. */
export function isNavigation(req: http.IncomingMessage): boolean {
  if (req.method !== 'GET') return false;
  const mode = req.headers['sec-fetch-mode'];
  if (mode) return mode === 'navigate';
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * Once awake: where the request goes, as the router now decides (the overview follows the engine's
 * events, a moment after the start returns); a local instance's own port if that moment is longer.
 */
export async function targetAfterWake(held: Held, decide: () => RouteDecision): Promise<Target | RouteDecision> {
  for (let i = 0; i < 40; i++) {
    const d = decide();
    if (d.kind === 'proxy') return d.target;
    if (d.kind !== 'stopped' && d.kind !== 'service-down') return d;
    await new Promise((r) => setTimeout(r, 25));
  }
  const port = held.route.key === null ? undefined : held.instance.ports[held.route.key];
  return !held.instance.engine && port !== undefined ? { host: '127.0.0.1', port } : decide();
}
