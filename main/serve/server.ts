import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import type { AppController } from '../api/controller/controllerTypes';
import { AxiError } from '../shared/errors';
import { admit } from './access';
import { EventStreams, MAX_EVENT_STREAMS } from './eventStreams';
import { BODY_LIMIT, clientErrorReply, fail, parseCall, readBody, send } from './httpReplies';
import { CSP, serveStatic } from './staticFiles';

export { BODY_LIMIT, CSP, MAX_EVENT_STREAMS };

/** What the server uses of the controller. */
export type ServedController = Pick<AppController, 'invoke' | 'current' | 'onAny'>;

export interface ServeOptions {
  controller: ServedController;
  /** Built renderer (index.html and assets). */
  staticDir: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** POST /api/call: `{ method, args }` in, the controller's `{ ok, value | error }` out. */
async function callApi(controller: ServedController, req: http.IncomingMessage, res: http.ServerResponse) {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
    return fail(res, 415, 'expected Content-Type: application/json');
  const text = await readBody(req);
  // Connection: close, so the rest of an oversized body is never read.
  if (text === undefined)
    return fail(res, 413, `request body too large (the limit is ${BODY_LIMIT} bytes)`, { Connection: 'close' });
  const body = parseCall(text);
  if (typeof body === 'string') return fail(res, 400, body);
  const reply = await controller.invoke(body.method, body.args ?? []);
  send(res, 200, JSON.stringify(reply), 'application/json');
}

/** Node's own answer to a request it could not parse has no body: say what was wrong in one line. */
function answerClientError(err: NodeJS.ErrnoException, socket: net.Socket | import('node:stream').Duplex): void {
  if (!socket.writable || (socket as net.Socket).bytesWritten > 0 || err.code === 'ECONNRESET')
    return void socket.destroy();
  const [status, message] = clientErrorReply(err.code);
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}

function listen(server: http.Server, port: number | undefined): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new AxiError('PORT_CONFLICT', `port ${port} is in use; pick another with --port`)
          : err,
      ),
    );
    server.listen({ port: port ?? 0, host: '127.0.0.1' }, () => resolve((server.address() as net.AddressInfo).port));
  });
}

/**
 * `axi serve`: the window's renderer and the API table over HTTP, pushed
 * events as server-sent events. Loopback only; a random token (in the printed
 * URL, then an Authorization header, never a cookie) guards the API; a Host or
 * Origin that is not ours is refused, so a web page cannot reach it by DNS rebinding.
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const streams = new EventStreams();
  let port = 0;
  const unsubscribe = opts.controller.onAny((event, payload) => streams.broadcast(event, payload));

  const route = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = admit(req, res, token, new Set([`127.0.0.1:${port}`, `localhost:${port}`]));
    if (!url) return;
    if (url.pathname === '/api/events' && req.method === 'GET')
      return streams.open(res, () => opts.controller.current());
    if (url.pathname === '/api/overview' && req.method === 'GET') {
      return send(res, 200, JSON.stringify({ ok: true, value: await opts.controller.current() }), 'application/json');
    }
    if (url.pathname === '/api/call' && req.method === 'POST') return callApi(opts.controller, req, res);
    if (req.method !== 'GET')
      return fail(res, 405, `method ${req.method} not allowed on ${url.pathname}`, {
        Allow: url.pathname === '/api/call' ? 'POST' : 'GET',
      });
    return serveStatic(opts.staticDir, url.pathname, res);
  };

  const server = http.createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      fail(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  server.on('clientError', answerClientError);
  port = await listen(server, opts.port);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        streams.closeAll();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
