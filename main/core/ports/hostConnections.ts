/**
 * Who is connected to an instance's published ports, for idle sleep. Linux: /proc/net/tcp* (two file
 * reads a tick), and `ss` (netlink) only where it matters: how long each connection to an HTTP port has
 * moved no bytes. Elsewhere: `netstat` (macOS, BSD, Windows); where even that fails, "unknown", which
 * idle sleep treats as in use rather than stop what someone may be using.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

const portOf = (addr: string) => parseInt(addr.slice(addr.lastIndexOf(':') + 1), 16);

/**
 * Established connections (state 01) by local port, from /proc/net/tcp or tcp6 text: a client of a
 * published port (a dev server's Postgres pool, a psql session) holds one on Docker's proxy end.
 * `fromPorts`: the router's own connections (by their local port), not counted: its requests are.
 */
export function establishedTcpPorts(text: string, fromPorts: ReadonlySet<number> = new Set()): Map<number, number> {
  const counts = new Map<number, number>();
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    if (!local?.includes(':') || cols[3] !== '01' || !cols[2]) continue;
    if (fromPorts.has(portOf(cols[2]))) continue;
    const port = portOf(local);
    counts.set(port, (counts.get(port) ?? 0) + 1);
  }
  return counts;
}

/** This host's established TCP connections by local port (both tables), or undefined off Linux. */
export async function linuxEstablished(fromPorts?: ReadonlySet<number>): Promise<Map<number, number> | undefined> {
  if (process.platform !== 'linux') return undefined;
  const texts = await Promise.all(['tcp', 'tcp6'].map((t) => readFile(`/proc/net/${t}`, 'utf8').catch(() => '')));
  return establishedTcpPorts(texts.join('\n'), fromPorts);
}

/** One established connection as `ss -tnoiH state established` tells it: ports, and ms since its last data. */
export interface ConnectionActivity {
  local: number;
  peer: number;
  /** Ms since data last moved either way (the smaller of lastsnd and lastrcv); Infinity if never. */
  quietMs: number;
}

const decimalPort = (addr: string) => Number(addr.slice(addr.lastIndexOf(':') + 1));

/** Parses `ss -tniH state established`: an address line (`0 0 127.0.0.1:5432 127.0.0.1:4711`), then its info line. */
export function parseSsActivity(text: string): ConnectionActivity[] {
  const out: ConnectionActivity[] = [];
  let last: ConnectionActivity | undefined;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (/^\s/.test(line) && last) {
      const ms = ['lastsnd', 'lastrcv'].map((k) => new RegExp(`\\b${k}:(\\d+)`).exec(line)?.[1]);
      last.quietMs = Math.min(...ms.map((m) => (m === undefined ? Infinity : Number(m))));
      continue;
    }
    const cols = line.trim().split(/\s+/);
    const addrs = cols.filter((c) => /:\d+$/.test(c));
    if (addrs.length < 2) continue;
    last = { local: decimalPort(addrs[0]!), peer: decimalPort(addrs[1]!), quietMs: Infinity };
    out.push(last);
  }
  return out;
}

function run(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) =>
    execFile(cmd, args, { timeout: 5000, maxBuffer: 16 << 20 }, (err, stdout) => resolve(err ? undefined : stdout)),
  );
}

/** Linux, through `ss` (netlink): each established connection and how long it has moved no bytes; undefined without `ss`. */
export async function connectionActivity(): Promise<ConnectionActivity[] | undefined> {
  if (process.platform !== 'linux') return undefined;
  const text = await run('ss', ['-tniH', 'state', 'established']);
  return text === undefined ? undefined : parseSsActivity(text);
}

/**
 * `netstat -an` text (macOS/BSD: `127.0.0.1.5432`, Windows: `127.0.0.1:5432`): established connections by
 * local port. With Docker Desktop the published port's end is its own proxy's, as docker-proxy's is here.
 */
export function netstatEstablished(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!/ESTABLISHED/i.test(line)) continue;
    const cols = line.trim().split(/\s+/);
    const local = cols.find((c) => /[.:]\d+$/.test(c) && /\d/.test(c));
    const m = local && /[.:](\d+)$/.exec(local);
    if (!m) continue;
    const port = Number(m[1]);
    counts.set(port, (counts.get(port) ?? 0) + 1);
  }
  return counts;
}

/** The host's established connections by local port: /proc on Linux, else `netstat`; undefined: unknown. */
export async function hostEstablished(fromPorts?: ReadonlySet<number>): Promise<Map<number, number> | undefined> {
  if (process.platform === 'linux') return linuxEstablished(fromPorts);
  const text = await run('netstat', process.platform === 'win32' ? ['-an', '-p', 'TCP'] : ['-an', '-p', 'tcp']);
  return text === undefined ? undefined : netstatEstablished(text);
}
