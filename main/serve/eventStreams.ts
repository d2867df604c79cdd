import type http from 'node:http';
import { fail } from './httpReplies';

/** Live event streams at once; each holds a socket and gets every pushed event. */
export const MAX_EVENT_STREAMS = 32;

/** The dashboard tabs' server-sent event streams: at most MAX_EVENT_STREAMS, each opened with the current overview. */
export class EventStreams {
  private readonly clients = new Set<http.ServerResponse>();
  private slots = 0;
  /** The last overview broadcast: one pushed while a stream waits for its first is sent in its place. */
  private lastOverview?: string;

  broadcast(event: string, payload: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    if (event === 'overview') this.lastOverview = frame;
    for (const c of this.clients) c.write(frame);
  }

  async open(res: http.ServerResponse, first: () => Promise<unknown>): Promise<void> {
    if (this.slots >= MAX_EVENT_STREAMS) {
      return fail(
        res,
        503,
        `too many open event streams (at most ${MAX_EVENT_STREAMS}); close another dashboard tab and reload`,
      );
    }
    // Taken before the first await, so a burst of opens cannot overshoot the cap.
    this.slots++;
    res.once('close', () => {
      this.slots--;
      this.clients.delete(res);
    });
    const before = this.lastOverview;
    const current = `event: overview\ndata: ${JSON.stringify(await first())}\n\n`;
    if (res.destroyed) return;
    // Pushed while the first was read: newer than it, and this stream was not yet among the clients.
    const overview = this.lastOverview !== before ? this.lastOverview! : current;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(overview);
    this.clients.add(res);
  }

  closeAll(): void {
    for (const c of this.clients) c.end();
  }
}
