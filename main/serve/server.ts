import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import type { AppController } from '../api/controller';
import { AxiError } from '../core/errors';

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

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** The same strict policy as the Electron window. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const COOKIE = 'axi_token';
/** Largest /api/call body; real calls are a few hundred bytes. */
export const BODY_LIMIT = 1 << 20;
/** Live event streams at once; each holds a socket and gets every pushed event. */
export const MAX_EVENT_STREAMS = 32;
/** Starts fetching the overview while the page's script still loads (matches the bridge's same-origin fetch). */
const OVERVIEW_PRELOAD = '<link rel="preload" href="/api/overview" as="fetch" crossorigin="anonymous" />';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: http.IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === COOKIE) return rest.join('=');
  }
  return undefined;
}

function send(
  res: http.ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
  extra: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  res.end(body);
}

/** An error as one line of plain text: what a terminal, a log or the dashboard's error banner shows. */
function fail(res: http.ServerResponse, status: number, message: string, extra: http.OutgoingHttpHeaders = {}): void {
  send(res, status, message.replace(/\s*\n\s*/g, ' ').trim() + '\n', undefined, extra);
}

/**
 * The body as text, or undefined once it passes `limit`. Reading stops there
 * (the caller answers 413 and closes the connection) instead of buffering on.
 */
function readBody(req: http.IncomingMessage, limit = BODY_LIMIT): Promise<string | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData).pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

/** A `{ method, args }` call, or why the body is not one. */
function parseCall(text: string): { method?: unknown; args?: unknown } | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'body is not JSON; send {"method": "...", "args": [...]}';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'body must be a JSON object like {"method": "...", "args": [...]}';
  return body;
}

/** A path segment decoded, or undefined for a malformed %-escape (decodeURIComponent throws on those). */
function decodePath(p: string): string | undefined {
  try {
    return decodeURIComponent(p);
  } catch {
    return undefined;
  }
}

/** The request target resolved against our own origin, or undefined when it does not parse. */
function parseUrl(target: string, host: string): URL | undefined {
  try {
    return new URL(target, `http://${host}`);
  } catch {
    return undefined;
  }
}

/** Status line and one-line body for a request Node could not parse. */
function clientErrorReply(code: string | undefined): [string, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return ['431 Request Header Fields Too Large', 'request headers too large\n'];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return ['408 Request Timeout', 'request not received in time\n'];
  return ['400 Bad Request', 'malformed HTTP request\n'];
}

/** A file of the built renderer; index.html gets the overview preload. */
async function serveStatic(staticDir: string, pathname: string, res: http.ServerResponse): Promise<void> {
  const decoded = pathname === '/' ? '/index.html' : decodePath(pathname);
  if (decoded === undefined) return fail(res, 400, `malformed percent-encoding in path ${pathname}`);
  const rel = decoded.replace(/^\/+/, '');
  const file = path.resolve(staticDir, rel);
  if (!file.startsWith(path.resolve(staticDir) + path.sep)) return fail(res, 404, `not found: ${pathname}`);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return fail(res, 404, `not found: ${pathname}`);
  const headers = {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  if (rel === 'index.html') {
    const html = (await readFile(file, 'utf8')).replace('</head>', `    ${OVERVIEW_PRELOAD}\n  </head>`);
    res.writeHead(200, { ...headers, 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-store' });
    return void res.end(html);
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'max-age=3600',
  });
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/**
 * `axi serve`: the window's renderer and the API table over HTTP, pushed
 * events as server-sent events. Loopback only; a random token (in the printed
 * URL, then a cookie) guards everything; a Host or Origin that is not ours is
 * refused, so a web page cannot reach it by DNS rebinding.
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const clients = new Set<http.ServerResponse>();
  let streamSlots = 0;
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const unsubscribe = opts.controller.onAny((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const c of clients) c.write(frame);
  });

  const openEvents = async (res: http.ServerResponse): Promise<void> => {
    if (streamSlots >= MAX_EVENT_STREAMS) {
      return fail(
        res,
        503,
        `too many open event streams (at most ${MAX_EVENT_STREAMS}); close another dashboard tab and reload`,
      );
    }
    // Taken before the first await, so a burst of opens cannot overshoot the cap.
    streamSlots++;
    res.once('close', () => {
      streamSlots--;
      clients.delete(res);
    });
    const first = JSON.stringify(await opts.controller.current());
    if (res.destroyed) return;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`event: overview\ndata: ${first}\n\n`);
    clients.add(res);
  };

  const call = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      return fail(res, 415, 'expected Content-Type: application/json');
    const text = await readBody(req);
    // Connection: close, so the rest of an oversized body is never read.
    if (text === undefined)
      return fail(res, 413, `request body too large (the limit is ${BODY_LIMIT} bytes)`, { Connection: 'close' });
    const body = parseCall(text);
    if (typeof body === 'string') return fail(res, 400, body);
    const reply = await opts.controller.invoke(body.method, body.args ?? []);
    send(res, 200, JSON.stringify(reply), 'application/json');
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) return fail(res, 403, `forbidden host ${JSON.stringify(host)}`);
    const origin = req.headers.origin;
    if (origin && !allowedHosts().has(origin.replace(/^http:\/\//, '')))
      return fail(res, 403, `forbidden origin ${JSON.stringify(origin)}`);
    const url = parseUrl(req.url ?? '/', host);
    if (!url) return fail(res, 400, 'malformed request URL');

    const given = url.searchParams.get('token');
    if (given && same(given, token) && req.method === 'GET') {
      // First load: trade the URL's token for a cookie and drop it from the address bar.
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + (url.search || ''),
        'Cache-Control': 'no-store',
      });
      return void res.end();
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const presented = cookieToken(req) ?? bearer;
    if (!presented || !same(presented, token))
      return fail(res, 401, 'unauthorized: open the URL that axi serve printed');

    if (url.pathname === '/api/events' && req.method === 'GET') return openEvents(res);
    if (url.pathname === '/api/overview' && req.method === 'GET') {
      // Also preloaded by index.html, so the data is on its way before the script runs.
      return send(res, 200, JSON.stringify({ ok: true, value: await opts.controller.current() }), 'application/json');
    }
    if (url.pathname === '/api/call' && req.method === 'POST') return call(req, res);
    if (req.method !== 'GET')
      return fail(res, 405, `method ${req.method} not allowed on ${url.pathname}`, {
        Allow: url.pathname === '/api/call' ? 'POST' : 'GET',
      });
    return serveStatic(opts.staticDir, url.pathname, res);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      fail(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Node's default answer has no body; say what was wrong in one line, unless a response already started.
    if (!socket.writable || (socket as net.Socket).bytesWritten > 0 || err.code === 'ECONNRESET')
      return void socket.destroy();
    const [status, message] = clientErrorReply(err.code);
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new AxiError('PORT_CONFLICT', `port ${opts.port} is in use; pick another with --port`)
          : err,
      ),
    );
    server.listen({ port: opts.port ?? 0, host: '127.0.0.1' }, resolve);
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const c of clients) c.end();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
