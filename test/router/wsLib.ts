/** playwright-core carries ws (client and server): a real WebSocket on both ends, no extra dependency. */
import type http from 'node:http';
import type { EventEmitter } from 'node:events';

export interface WsSocket extends EventEmitter {
  send(data: unknown, opts?: { binary?: boolean }): void;
  close(): void;
}
interface WsClientClass {
  new (url: string, opts?: { headers?: Record<string, string>; ca?: Buffer }): WsSocket;
}
interface WsServerClass {
  new (opts: { server: http.Server }): EventEmitter & { close(): void };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS path of playwright-core with no types
const bundle = require('playwright-core/lib/utilsBundle') as { ws: WsClientClass; wsServer: WsServerClass };
export const WebSocket = bundle.ws;
export const WebSocketServer = bundle.wsServer;

/** A server's WebSockets echo what they get. */
export function echoOn(server: http.Server): void {
  new WebSocketServer({ server }).on('connection', (s: WsSocket) =>
    s.on('message', (m: Buffer, binary: boolean) => s.send(m, { binary })),
  );
}
