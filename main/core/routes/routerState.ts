/**
 * Where the router answers: the port it listens on (the setting, else 80 where this user may bind it,
 * else 7080) and whether it speaks HTTPS. A running router writes `$AXI_HOME/router.json`, so a CLI
 * command shows the URLs of the router that is really there.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { atomicWrite } from '../registry/atomicWrite';
import { pidAlive } from '../util/pidAlive';
import type { RouterBase } from './routes';
import type { Settings } from '../../shared/schemas/settings';

/** The port when 80 is not allowed and no setting says. */
export const FALLBACK_ROUTER_PORT = 7080;
const STATE_FILE = 'router.json';

export interface RouterState extends RouterBase {
  pid: number;
  /** The loopbacks it listens on (127.0.0.1, and ::1 where the machine has it); absent in older files. */
  addresses?: string[];
  /** Why this port: the setting, `--port`, or whether port 80 was allowed. */
  why: string;
  startedAt: string;
}

/** CAP_NET_BIND_SERVICE is bit 10 of the effective capability set. */
function hasBindCapability(status: string): boolean {
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  return m ? (BigInt(`0x${m[1]}`) & (1n << 10n)) !== 0n : false;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** May this process bind `port` (below 1024 needs root, the capability, or a lowered unprivileged start)? */
export function mayBind(port: number, proc = '/proc'): { ok: boolean; why: string } {
  if (port >= 1024) return { ok: true, why: `port ${port} needs no privilege` };
  if (process.getuid?.() === 0) return { ok: true, why: 'running as root' };
  const start = Number(readText(path.join(proc, 'sys/net/ipv4/ip_unprivileged_port_start'))?.trim());
  if (Number.isInteger(start) && start <= port)
    return { ok: true, why: `net.ipv4.ip_unprivileged_port_start is ${start}` };
  if (hasBindCapability(readText(path.join(proc, 'self/status')) ?? ''))
    return { ok: true, why: 'this process has CAP_NET_BIND_SERVICE' };
  return {
    ok: false,
    why: `port ${port} is not allowed (net.ipv4.ip_unprivileged_port_start is ${Number.isInteger(start) ? start : 'unknown'}; allow it with: sudo sysctl -w net.ipv4.ip_unprivileged_port_start=80)`,
  };
}

/** The port the router should use, and why: `--port` or AXI_ROUTER_PORT, the setting, else 80 if allowed, else 7080. */
export function chosenPort(
  settings: Pick<Settings, 'routerPort'>,
  asked?: number,
  env: NodeJS.ProcessEnv = process.env,
): { port: number; why: string } {
  if (asked !== undefined) return { port: asked, why: '--port' };
  const fromEnv = Number(env.AXI_ROUTER_PORT);
  if (env.AXI_ROUTER_PORT && Number.isInteger(fromEnv)) return { port: fromEnv, why: 'AXI_ROUTER_PORT' };
  if (settings.routerPort !== null) return { port: settings.routerPort, why: 'the routerPort setting' };
  const low = mayBind(80);
  return low.ok
    ? { port: 80, why: `port 80: ${low.why}` }
    : { port: FALLBACK_ROUTER_PORT, why: `port ${FALLBACK_ROUTER_PORT}: ${low.why}` };
}

/**
 * With TLS on port 80, the router also listens on 443 where this user may bind it, so https URLs carry no port;
 * otherwise they keep the router's own port. Undefined: no second port.
 */
export function httpsPortFor(port: number, tls: boolean, proc = '/proc'): number | undefined {
  return tls && port === 80 && mayBind(443, proc).ok ? 443 : undefined;
}

/** The router running on this machine for this `$AXI_HOME`, if one is. */
export function runningRouter(home: string): RouterState | undefined {
  const text = readText(path.join(home, STATE_FILE));
  if (!text) return undefined;
  try {
    const s = JSON.parse(text) as RouterState;
    return Number.isInteger(s.pid) && Number.isInteger(s.port) && pidAlive(s.pid) ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where URLs point: the running router, else where it would listen. `running` false: no router answers,
 * so a name shown to the user would lead nowhere (the router's own route table still uses them).
 */
export function routerBase(
  home: string,
  settings: Pick<Settings, 'routerPort' | 'routerTls'>,
): RouterBase & { running: boolean } {
  const running = runningRouter(home);
  if (running) return { port: running.port, tls: running.tls, httpsPort: running.httpsPort, running: true };
  const { port } = chosenPort(settings);
  return { port, tls: settings.routerTls, httpsPort: httpsPortFor(port, settings.routerTls), running: false };
}

export async function writeRouterState(home: string, state: RouterState): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  await atomicWrite(path.join(home, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** Removes the state file if it is still this process's. */
export async function clearRouterState(home: string, pid = process.pid): Promise<void> {
  const s = readText(path.join(home, STATE_FILE));
  if (s && (JSON.parse(s) as RouterState).pid === pid) await rm(path.join(home, STATE_FILE), { force: true });
}
