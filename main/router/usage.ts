/**
 * What the router sees of each instance's use beyond its request count: requests still in flight (a long
 * poll, an event stream) and the bytes of its WebSockets. Idle sleep reads it once a tick: a WebSocket
 * that moves bytes is use, one left idle in a forgotten tab is not.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';

export interface InstanceUsage {
  inflight: number;
  /** Bytes through its WebSockets so far: only their growth matters. */
  wsBytes: number;
}

type Counted = Duplex & { bytesRead?: number; bytesWritten?: number };
const bytesOf = (s: Counted) => (s.bytesRead ?? 0) + (s.bytesWritten ?? 0);

export class RouterUsage {
  private readonly inflight = new Map<string, number>();
  private readonly sockets = new Map<Counted, string>();
  private readonly closedBytes = new Map<string, number>();

  private add(map: Map<string, number>, id: string, n: number): void {
    map.set(id, (map.get(id) ?? 0) + n);
  }

  request(id: string, res: http.ServerResponse): void {
    this.add(this.inflight, id, 1);
    res.once('close', () => this.add(this.inflight, id, -1));
  }

  upgrade(id: string, socket: Counted): void {
    this.sockets.set(socket, id);
    socket.once('close', () => {
      this.add(this.closedBytes, id, bytesOf(socket));
      this.sockets.delete(socket);
    });
  }

  snapshot(): Map<string, InstanceUsage> {
    const out = new Map<string, InstanceUsage>();
    const of = (id: string) => out.get(id) ?? out.set(id, { inflight: 0, wsBytes: 0 }).get(id)!;
    for (const [id, n] of this.inflight) of(id).inflight = n;
    for (const [id, n] of this.closedBytes) of(id).wsBytes += n;
    for (const [s, id] of this.sockets) of(id).wsBytes += bytesOf(s);
    return out;
  }
}
