import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { AppController } from '../api/controller';
import { API_EVENTS } from '../api/table';
import { AxiError } from '../engine/errors';

export interface ServeOptions {
  controller: AppController;
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
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const COOKIE = 'axi_token';
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

function send(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

async function readBody(req: http.IncomingMessage, limit = 1 << 20): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new AxiError('BAD_INPUT', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
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
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  for (const event of API_EVENTS) {
    opts.controller.on(event, (payload: unknown) => {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const c of clients) c.write(frame);
    });
  }

  const server = http.createServer(async (req, res) => {
    try {
      const host = req.headers.host ?? '';
      if (!allowedHosts().has(host)) return send(res, 403, `forbidden host ${JSON.stringify(host)}`);
      const origin = req.headers.origin;
      if (origin && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) return send(res, 403, `forbidden origin ${JSON.stringify(origin)}`);
      const url = new URL(req.url ?? '/', `http://${host}`);

      const given = url.searchParams.get('token');
      if (given && same(given, token) && req.method === 'GET') {
        // First load: trade the URL's token for a cookie and drop it from the address bar.
        url.searchParams.delete('token');
        res.writeHead(303, {
          'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          Location: url.pathname + (url.search || ''),
          'Cache-Control': 'no-store',
        });
        return res.end();
      }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const presented = cookieToken(req) ?? bearer;
      if (!presented || !same(presented, token)) return send(res, 401, 'unauthorized: open the URL that axi serve printed');

      if (url.pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
        res.write(`event: overview\ndata: ${JSON.stringify(await opts.controller.current())}\n\n`);
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      if (url.pathname === '/api/overview' && req.method === 'GET') {
        // Also preloaded by index.html, so the data is on its way before the script runs.
        return send(res, 200, JSON.stringify({ ok: true, value: await opts.controller.current() }), 'application/json');
      }
      if (url.pathname === '/api/call' && req.method === 'POST') {
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'expected application/json');
        let body: { method?: unknown; args?: unknown };
        try {
          body = JSON.parse(await readBody(req));
        } catch {
          return send(res, 400, JSON.stringify({ ok: false, error: { code: 'BAD_INPUT', message: 'body is not JSON' } }), 'application/json');
        }
        const reply = await opts.controller.invoke(body.method, body.args ?? []);
        return send(res, 200, JSON.stringify(reply), 'application/json');
      }
      if (req.method !== 'GET') return send(res, 405, 'method not allowed');

      const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
      const file = path.resolve(opts.staticDir, rel);
      if (!file.startsWith(path.resolve(opts.staticDir) + path.sep)) return send(res, 404, 'not found');
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return send(res, 404, 'not found');
      if (rel === 'index.html') {
        const html = (await readFile(file, 'utf8')).replace('</head>', `    ${OVERVIEW_PRELOAD}\n  </head>`);
        res.writeHead(200, { 'Content-Type': TYPES['.html']!, 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
        return res.end(html);
      }
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': rel === 'index.html' ? 'no-store' : 'max-age=3600',
      });
      createReadStream(file).pipe(res);
    } catch (err) {
      send(res, 500, (err as Error).message);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new AxiError('PORT_CONFLICT', `port ${opts.port} is in use; pick another with --port`) : err),
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
        for (const c of clients) c.end();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
