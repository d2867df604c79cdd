import { existsSync, readFileSync } from 'node:fs';
// Loaded already (by the host port probe, and by every pipe on stdio): no start-up cost.
import { connect as connectTcp } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { dataDebug, debug, debugEnabled } from '../../core/util/debug';
import { AxiError } from '../../shared/errors';

/** Where an engine may answer, in the order Docker's own CLI would pick it, then the usual sockets. */
export interface Endpoint {
  readonly host: string;
  readonly source: string;
}

export interface DockerConnection {
  readonly docker: Dockerode;
  readonly endpoint: Endpoint;
}

export function contextEndpoint(env: NodeJS.ProcessEnv, home: string): Endpoint | undefined {
  const configDir = env.DOCKER_CONFIG || path.join(home, '.docker');
  let name = env.DOCKER_CONTEXT;
  if (!name) {
    try {
      const config = JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')) as {
        currentContext?: unknown;
      };
      name = typeof config.currentContext === 'string' ? config.currentContext : undefined;
    } catch {
      return undefined;
    }
  }
  if (!name || name === 'default') return undefined;
  try {
    // node:crypto only here (a named context): loading it is ~7 ms of every short command's start-up.
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    const id = createHash('sha256').update(name).digest('hex');
    const meta = JSON.parse(readFileSync(path.join(configDir, 'contexts', 'meta', id, 'meta.json'), 'utf8')) as {
      Endpoints?: { docker?: { Host?: unknown } };
    } | null;
    const host = meta?.Endpoints?.docker?.Host;
    return typeof host === 'string' ? { host, source: `docker context ${name}` } : undefined;
  } catch {
    return undefined;
  }
}

export function candidateEndpoints(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): Endpoint[] {
  // As Docker's own CLI: an explicit DOCKER_HOST or context is the only place to look.
  if (env.DOCKER_HOST) return [{ host: env.DOCKER_HOST, source: 'DOCKER_HOST' }];
  const ctx = contextEndpoint(env, home);
  if (ctx) return [ctx];
  const out: Endpoint[] = [];
  const sockets = [
    '/var/run/docker.sock',
    path.join(home, '.docker/run/docker.sock'), // Docker Desktop
    path.join(home, '.colima/default/docker.sock'), // Colima
    path.join(home, '.rd/docker.sock'), // Rancher Desktop
    ...(env.XDG_RUNTIME_DIR ? [path.join(env.XDG_RUNTIME_DIR, 'podman/podman.sock')] : []), // Podman (rootless)
    '/run/podman/podman.sock',
  ];
  for (const s of sockets) out.push({ host: `unix://${s}`, source: 'default socket' });
  if (process.platform === 'win32') out.push({ host: 'npipe:////./pipe/docker_engine', source: 'default pipe' });
  return out;
}

type HttpAgent = import('node:http').Agent;
const plainAgents = new Map<string, HttpAgent>();

/**
 * The agents for plain HTTP: Node's works out a TLS server name for every request, even over a Unix socket,
 * and that first isIP() compiles the IPv6 pattern, ~5 ms of every command's start-up. Plain HTTP has no
 * server name. Otherwise as Node's global agent (keep-alive, idle sockets unref'd). One for sockets, and one
 * per TCP engine that dials it itself: docker-modem then treats the engine as it treats a socket and skips
 * the legacy url.parse/format/resolve it runs on every request to a host (whose first call loads Node's IDNA
 * code: ~3 ms of a `list` that asks a remote engine).
 */
function plainHttpAgent(tcp?: { host: string; port: number }): HttpAgent {
  const key = tcp ? `${tcp.host}:${tcp.port}` : '';
  const known = plainAgents.get(key);
  if (known) return known;
  const { Agent } = require('node:http') as typeof import('node:http');
  class NoServerNameAgent extends Agent {
    addRequest(req: unknown, options: { servername?: string }): void {
      options.servername ??= '';
      (Agent.prototype as unknown as { addRequest(r: unknown, o: unknown): void }).addRequest.call(this, req, options);
    }
  }
  const agent = new NoServerNameAgent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });
  if (tcp) {
    // Node's Agent calls this for each new socket; a socket returned at once is the one it uses.
    (agent as unknown as { createConnection: () => unknown }).createConnection = () =>
      // Keep-alive probes: a peer gone without a reset (a suspended host, a dropped VPN) ends the socket.
      connectTcp({ host: tcp.host, port: tcp.port, keepAlive: true, keepAliveInitialDelay: 15_000 });
  }
  plainAgents.set(key, agent);
  return agent;
}

export function dockerodeOptions(host: string): Dockerode.DockerOptions {
  const url = new URL(host);
  // A URL drops its scheme's own default port (https://h:443 has port ''): read the port as written.
  const port = (fallback: number) => Number(new URL(host.replace(/^[a-z][a-z0-9+.-]*:/i, 'x:')).port || fallback);
  switch (url.protocol) {
    case 'unix:':
      return { socketPath: url.pathname, agent: plainHttpAgent() } as Dockerode.DockerOptions;
    case 'npipe:':
      // npipe:////./pipe/docker_engine is the pipe \\.\pipe\docker_engine, as Docker's CLI reads it.
      return {
        socketPath: host.slice('npipe://'.length).replace(/\//g, '\\'),
        agent: plainHttpAgent(),
      } as Dockerode.DockerOptions;
    case 'tcp:':
    case 'http:': {
      // The agent dials the engine; the "socket path" only names it (in docker-modem's own messages).
      const tcp = { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: port(2375) };
      return { socketPath: `${url.hostname}:${tcp.port}`, agent: plainHttpAgent(tcp) } as Dockerode.DockerOptions;
    }
    case 'https:':
      return { host: url.hostname, port: port(2376), protocol: 'https' };
    case 'ssh:':
      return { host: url.hostname, port: port(22), username: url.username || undefined, protocol: 'ssh' };
    default:
      throw new AxiError('BAD_INPUT', `unsupported Docker endpoint ${host}`);
  }
}

/**
 * Where Compose should point, known without loading dockerode or pinging:
 * the first candidate that exists. Lets `up` start Compose while the engine
 * connection is still being made.
 */
export function endpointHint(env: NodeJS.ProcessEnv = process.env, override?: string): string | undefined {
  if (override) return override;
  for (const c of candidateEndpoints(env)) {
    if (!c.host.startsWith('unix://') || existsSync(c.host.slice('unix://'.length))) return c.host;
  }
  return undefined;
}

async function answers(docker: Dockerode, timeoutMs: number): Promise<boolean> {
  try {
    // dockerode 4 takes an abort signal here; its type declarations lag behind.
    await (docker.ping as unknown as (o: object) => Promise<unknown>)({ abortSignal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

/** `AXI_DEBUG=1`: each Engine API request dockerode makes, as `engine GET /containers/json (unix:///…)` on stderr. */
function traceRequests(docker: Dockerode, host: string): void {
  const modem = docker.modem as { dial(options: { method?: string; path?: string }, cb: unknown): unknown };
  const dial = modem.dial.bind(modem);
  modem.dial = (options, cb) => {
    const what = `engine ${options.method ?? 'GET'} ${(options.path ?? '').replace(/\?$/, '')} (${host})`;
    debug(what);
    if (!dataDebug() || typeof cb !== 'function') return dial(options, cb);
    // With AXI_DATA_DEBUG: each answer too, with its round trip.
    const t0 = performance.now();
    return dial(options, (...args: unknown[]) => {
      debug(`${what}: answered in ${(performance.now() - t0).toFixed(0)} ms`);
      return (cb as (...a: unknown[]) => unknown)(...args);
    });
  };
}

/**
 * An ssh:// endpoint spoken through the system's `ssh … docker system dial-stdio` (as Docker's CLI does), not
 * dockerode's ssh2: the user's ssh config, keys, agent and known hosts apply. Loaded only for such an endpoint.
 */
function viaSystemSsh(host: string, env: NodeJS.ProcessEnv): Dockerode.DockerOptions {
  const { sshDialAgent } = require('./sshDial') as typeof import('./sshDial');
  const { sshTarget } = require('../../core/util/sshTarget') as typeof import('../../core/util/sshTarget');
  // host and port only fill the request line; every byte goes through the agent's ssh child.
  const agent = sshDialAgent(sshTarget(host), env);
  return { protocol: 'http', host: 'docker', port: 80, agent } as Dockerode.DockerOptions; // docker-modem takes agent
}

/**
 * The first endpoint whose engine answers a ping within `timeoutMs`.
 * With none: exit 3 (DOCKER_UNAVAILABLE) saying where we looked. `ping: false` with one `endpoint`: the
 * client without asking first, for a caller whose own first request tells whether the engine answers.
 */
export async function connectDocker(
  opts: { env?: NodeJS.ProcessEnv; home?: string; timeoutMs?: number; endpoint?: string; ping?: boolean } = {},
): Promise<DockerConnection> {
  const { default: Docker } = await import('dockerode'); // heavy (ssh2): loaded only by commands that talk to Docker
  const env = opts.env ?? process.env;
  const candidates = opts.endpoint
    ? [{ host: opts.endpoint, source: 'configured endpoint' }]
    : candidateEndpoints(env, opts.home);
  const tried: string[] = [];
  for (const c of candidates) {
    const o = dockerodeOptions(c.host);
    if (c.host.startsWith('unix://') && o.socketPath && !existsSync(o.socketPath)) {
      tried.push(`${c.host} (absent)`);
      continue;
    }
    const docker = new Docker(o.protocol === 'ssh' ? viaSystemSsh(c.host, env) : o);
    if (debugEnabled(env)) traceRequests(docker, c.host);
    if ((opts.ping === false && opts.endpoint) || (await answers(docker, opts.timeoutMs ?? 2000)))
      return { docker, endpoint: c };
    tried.push(`${c.host} (${c.source}, no answer)`);
  }
  throw new AxiError('DOCKER_UNAVAILABLE', `no Docker engine answered; looked at ${tried.join(', ')}`);
}
