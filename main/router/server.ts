/**
 * The local router: one port on the loopbacks (127.0.0.1, and ::1 where there is one), every instance by name. http-proxy-3 does the proxying
 * (the library Vite's dev server uses: maintained, WebSocket upgrades, streams both ways, no body
 * buffering); we decide where each request goes (core/routeDecision) and answer the rest with a page.
 * With TLS on, the same port speaks HTTPS too: the first byte of a connection tells which.
 */
import http from 'node:http';
import type https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import {
  decideRoute,
  refusedThroughTunnel,
  type CliTunnelOpen,
  type RouteDecision,
} from '../core/routes/routeDecision';
import { listenOnLoopbacks } from './listen';
import type { RouterFeed } from './feed';
import { decisionPage, listsInstances, upstreamPage, type Page } from './pages';
import { RouterUsage, type InstanceUsage } from './usage';
import { isNavigation, targetAfterWake, type WakeGate } from './wake';

type Routed = Extract<RouteDecision, { kind: 'proxy' | 'stopped' | 'service-down' }>;
/** A request for an instance (running or not): idle sleep counts it, and holds it while the instance wakes. */
const isRouted = (d: RouteDecision): d is Routed =>
  d.kind === 'proxy' || d.kind === 'stopped' || d.kind === 'service-down';
type Target = { host: string; port: number };

/**
 * Options for the request to the instance, fresh per call (http-proxy-3 builds the outgoing request's options on
 * the `ssl` object it is given). Its answer is parsed leniently, as browsers and curl do: a busybox httpd CGI
 * ends header lines with LF only, which Node's strict parser refuses. Only this side: the router's own server
 * stays strict with clients' requests.
 */
const upstreamRequest = () => ({ insecureHTTPParser: true });

/** Per socket, each way: 256 KB (the 16 KB default stops and restarts a download's reads every 64 KB chunk). */
const STREAM_HWM = 256 * 1024;

export interface RouterOptions {
  feed: RouterFeed;
  /** 0: any free port (tests). */
  port: number;
  /** One address only; absent: both loopbacks (see listen.ts). */
  host?: string;
  /** With TLS: makes the HTTPS server that shares the port (see tls.ts). */
  tls?: (handler: http.RequestListener) => https.Server;
  /** With TLS: a second port to answer on too (443 beside 80), where it is free; URLs then carry no port. */
  httpsPort?: number;
  /** Idle sleep (the app, `axi serve`): requests counted per instance, a sleeping one woken and waited for. */
  wake?: WakeGate;
  /** Remote instances' tunnels `axi tunnel` holds open in a terminal. */
  cliTunnel?: CliTunnelOpen;
}

export interface RunningRouter {
  port: number;
  /** The second port it answers HTTPS on (443 beside 80), where it could listen there. */
  httpsPort?: number;
  /** The loopbacks it listens on: 127.0.0.1, and ::1 where the machine has it. */
  addresses: string[];
  /** Local ports of its open connections to the instances (idle sleep counts their requests, not these). */
  upstreamPorts(): ReadonlySet<number>;
  /** Per instance: requests in flight and WebSocket bytes (idle sleep counts these as use). */
  usage(): ReadonlyMap<string, InstanceUsage>;
  tls: boolean;
  close(): Promise<void>;
}

function sendPage(res: http.ServerResponse, p: Page): void {
  res.writeHead(p.status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(p.html),
    'Cache-Control': 'no-store',
  });
  res.end(p.html);
}

/** The page as a raw response on an upgrade socket (a WebSocket to a stopped instance, say). */
function refuseUpgrade(socket: Duplex, p: Page): void {
  socket.end(
    `HTTP/1.1 ${p.status} ${http.STATUS_CODES[p.status]}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(p.html)}\r\nConnection: close\r\n\r\n${p.html}`,
  );
}

/** The second port, where it can be had (in use or not allowed: https URLs keep the first port, which speaks both). */
async function alsoOn(make: () => net.Server, port: number, host?: string) {
  return listenOnLoopbacks(make, port, host).catch(() => undefined);
}

/**
 * The local ports of every connection the agent opens to the instances, while open. Taken where the agent
 * makes them, not per request (http-proxy-3 announces a request after its socket event): a request the
 * browser cancels before it is written leaves its connection in the pool, and idle sleep must not count
 * the router's own connections as someone using the instance (its requests count instead).
 */
function trackSockets(agent: http.Agent): ReadonlySet<number> {
  const ports = new Set<number>();
  type Create = (o: object, cb: (err: Error | null, s?: net.Socket) => void) => net.Socket | undefined;
  const made = agent as unknown as { createConnection: Create };
  const create = made.createConnection.bind(agent);
  made.createConnection = (o, cb) => {
    const s = create(o, cb);
    if (!s) return s;
    const note = () => s.localPort && ports.add(s.localPort);
    if (s.localPort) note();
    else s.once('connect', note);
    s.once('close', () => s.localPort && ports.delete(s.localPort));
    return s;
  };
  return ports;
}

export async function startRouter(opts: RouterOptions): Promise<RunningRouter> {
  // Loaded with the router only: no other command pays for the proxy library.
  const { createProxyServer } = await import('http-proxy-3');
  // Keep-alive to the instances: a page's many requests reuse a few connections.
  // Idle keep-alive sockets close after 2 s: an open one is a connection to the published port, which idle sleep counts as use.
  // Streams buffer up to STREAM_HWM before pushing back: a download moves in fewer, larger writes (less CPU per
  // byte than the 16 KB default, measured in bench/router.mjs); noDelay as http.Server would set it on its own sockets.
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: 256,
    timeout: 2000,
    noDelay: true,
    highWaterMark: STREAM_HWM,
  } as http.AgentOptions);
  const upstream = trackSockets(agent);
  const usage = new RouterUsage();
  const proxy = createProxyServer({ xfwd: true, ws: true, agent, changeOrigin: false });
  const { feed } = opts;
  const decide = (host: string | undefined) => decideRoute(host, feed.table(), feed.instances(), opts.cliTunnel);
  const shown = (host: string | undefined) => (listsInstances(host) ? feed.running() : undefined);

  const { wake } = opts;
  const forward = (req: http.IncomingMessage, res: http.ServerResponse, d: Routed, t: Target) =>
    proxy.web(req, res, { target: t, ssl: upstreamRequest() }, (err: Error) => {
      if (res.headersSent) return void res.destroy();
      const closed = refusedThroughTunnel(d, t, (err as NodeJS.ErrnoException).code);
      if (closed) return sendPage(res, decisionPage(closed, undefined));
      sendPage(res, upstreamPage(d.instance.label, d.route.host, `${t.host}:${t.port}`, err));
    });
  // Asleep (or being woken): one start, this request held until it is healthy, then passed on.
  const whileWaking = async (req: http.IncomingMessage, res: http.ServerResponse, d: Routed, w: WakeGate) => {
    if (isNavigation(req)) return sendPage(res, w.navigationPage(d.instance));
    const failed = await w.held(d.instance);
    if (failed) return void res.writeHead(504, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${failed}\n`);
    const t = await targetAfterWake(d, () => decide(req.headers.host));
    if (!('kind' in t)) return forward(req, res, d, t);
    if (t.kind === 'proxy') return forward(req, res, t, t.target);
    sendPage(res, decisionPage(t, shown(req.headers.host)));
  };
  const onRequest: http.RequestListener = (req, res) => {
    const d = decide(req.headers.host);
    if (wake && isRouted(d)) {
      wake.hit(d.instance.id);
      usage.request(d.instance.id, res);
      if (wake.holds(d.instance)) return void whileWaking(req, res, d, wake);
    }
    if (d.kind !== 'proxy') return sendPage(res, decisionPage(d, shown(req.headers.host)));
    forward(req, res, d, d.target);
  };
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const d = decide(req.headers.host);
    if (wake && isRouted(d)) wake.hit(d.instance.id);
    if (d.kind !== 'proxy') return refuseUpgrade(socket, decisionPage(d, shown(req.headers.host)));
    if (wake) usage.upgrade(d.instance.id, socket);
    const options = { target: { host: d.target.host, port: d.target.port }, ssl: upstreamRequest() };
    proxy.ws(req, socket, head, options, () => socket.destroy());
  };
  proxy.on('error', () => undefined); // each call has its own callback; this keeps a late error from throwing
  // http-proxy-3 pipes an instance's answer into ours but never ends ours when the instance's connection drops
  // mid-answer (a tunnel closed, a dev server killed): the client would wait forever. Cut it, as the instance did.
  proxy.on('proxyRes', (proxyRes: http.IncomingMessage, _req: http.IncomingMessage, res: http.ServerResponse) =>
    proxyRes.once('close', () => proxyRes.complete || res.destroy()),
  );

  const plain = http.createServer({ keepAliveTimeout: 30_000 }, onRequest);
  plain.on('upgrade', onUpgrade);
  const secure = opts.tls?.(onRequest);
  secure?.on('upgrade', onUpgrade);
  // One port for both: a TLS handshake starts with byte 0x16, an HTTP request with a letter.
  const sockets = new Set<net.Socket>();
  const onConnection = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (!secure) return plain.emit('connection', socket);
    // httpolyglot's way: the first chunk read, put back, then the socket handed to the server that speaks it.
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      (chunk[0] === 0x16 ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  };
  const front = () => net.createServer({ highWaterMark: STREAM_HWM, noDelay: true }, onConnection);
  const { port, servers, addresses } = await listenOnLoopbacks(front, opts.port, opts.host);
  const second = secure && opts.httpsPort !== undefined ? await alsoOn(front, opts.httpsPort, opts.host) : undefined;
  if (second) servers.push(...second.servers);
  return {
    port,
    addresses,
    ...(second ? { httpsPort: second.port } : {}),
    upstreamPorts: () => upstream,
    usage: () => usage.snapshot(),
    tls: Boolean(secure),
    close: () =>
      new Promise<void>((resolve) => {
        void Promise.all(servers.map((f) => new Promise((r) => f.close(r)))).then(() => resolve());
        for (const s of sockets) s.destroy(); // WebSockets and keep-alive connections included
        proxy.close();
        agent.destroy();
      }),
  };
}
