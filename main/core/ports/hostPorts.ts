import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import dgram from 'node:dgram';
import net from 'node:net';

/** A program holding a port, as far as the OS tells. */
export interface PortOwner {
  readonly pid: number;
  readonly name: string;
  /** Its working folder, where the OS tells (Linux): a dev server run inside a checkout belongs to it. */
  readonly cwd?: string;
}

/**
 * Ports published over other protocols than TCP alone, by port: `udp`, or `tcp+udp` for one published over both
 * (a TURN server's 3478, DNS's 53). A port not in it is TCP's.
 */
export type PortProtocols = ReadonlyMap<number, string>;

/** Whether a port of this protocol (`udp`, `tcp+udp`, none: TCP) is probed over UDP. */
export function overUdp(protocol: string | undefined): boolean {
  return Boolean(protocol?.split('+').includes('udp'));
}

/** Whether it is probed over TCP: unless UDP alone (another protocol, sctp, is probed as TCP, as it always was). */
export function overTcp(protocol: string | undefined): boolean {
  return !overUdp(protocol) || protocol!.split('+').includes('tcp');
}

/** What the allocator and conflict checks ask of the host. Injected so tests and the app can share one. */
export interface HostPortProbe {
  /** `udp`: asked over UDP, free when no UDP socket is bound there (a TCP listener is no obstacle to it). */
  isFree(port: number, udp?: boolean): Promise<boolean>;
  /**
   * Many ports at once, where the OS can answer in one read (Linux's /proc/net); else `isFree` per port.
   * `protocols`: the ones published over UDP, checked against UDP sockets (the others against TCP ones); a
   * `tcp+udp` one against both, busy when either holds it.
   */
  busy?(ports: readonly number[], protocols?: PortProtocols): Promise<Set<number> | undefined>;
  owners(ports: readonly number[]): Promise<Map<number, PortOwner>>;
}

function tryBind(port: number, host: string): Promise<boolean | 'no-family'> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      resolve(err.code === 'EAFNOSUPPORT' || err.code === 'EADDRNOTAVAIL' ? 'no-family' : false);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * Free when a test bind on `::` succeeds. Without IPV6_V6ONLY that one bind
 * covers 0.0.0.0 and :: (where Docker publishes) and also fails for a
 * listener on 127.0.0.1 or ::1 — one bind instead of two. A host without
 * IPv6 gets the 0.0.0.0 bind.
 */
export async function isPortFree(port: number, udp = false): Promise<boolean> {
  const bind = udp ? tryBindUdp : tryBind;
  const dual = await bind(port, '::');
  if (dual !== 'no-family') return dual;
  return (await bind(port, '0.0.0.0')) === true;
}

/** The UDP twin of tryBind: a datagram socket bound and closed at once. */
function tryBindUdp(port: number, host: string): Promise<boolean | 'no-family'> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
    socket.unref();
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.close();
      resolve(err.code === 'EAFNOSUPPORT' || err.code === 'EADDRNOTAVAIL' ? 'no-family' : false);
    });
    socket.bind({ port, address: host, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

/** Probe many ports, a bounded number at a time; returns the ones in use. */
export async function busyPorts(
  ports: Iterable<number>,
  probe: Pick<HostPortProbe, 'isFree' | 'busy'> = { isFree: isPortFree },
  concurrency = 200,
  protocols?: PortProtocols,
): Promise<Set<number>> {
  const queue = [...new Set(ports)];
  const all = await probe.busy?.(queue, protocols);
  if (all) return all;
  const busy = new Set<number>();
  const held = async (port: number): Promise<boolean> => {
    const proto = protocols?.get(port);
    return (overTcp(proto) && !(await probe.isFree(port))) || (overUdp(proto) && !(await probe.isFree(port, true)));
  };
  const worker = async (): Promise<void> => {
    for (let port = queue.pop(); port !== undefined; port = queue.pop()) if (await held(port)) busy.add(port);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return busy;
}

/**
 * The wanted ports some socket on this host (this network namespace) holds: a TCP one listening or bound
 * (/proc/net/tcp, tcp6), or, for those published over UDP, a bound UDP socket (/proc/net/udp, udp6); a `tcp+udp`
 * one either. What a test bind
 * would have refused, in a few file reads instead of one bind per port. Undefined off Linux, where the caller binds.
 */
export async function linuxBusyPorts(
  ports: readonly number[],
  protocols: PortProtocols = new Map(),
): Promise<Set<number> | undefined> {
  if (process.platform !== 'linux') return undefined;
  const busy = new Set<number>();
  const tables = [
    ['tcp', boundTcpPorts, new Set(ports.filter((p) => overTcp(protocols.get(p))))],
    ['udp', boundUdpPorts, new Set(ports.filter((p) => overUdp(protocols.get(p))))],
  ] as const;
  for (const [proto, bound, wanted] of tables) {
    if (!wanted.size) continue;
    for (const table of [proto, `${proto}6`]) {
      let text: string;
      try {
        text = await readFile(`/proc/net/${table}`, 'utf8');
      } catch {
        if (table === proto) return undefined; // no /proc: bind instead
        continue; // no IPv6
      }
      for (const port of bound(text)) if (wanted.has(port)) busy.add(port);
    }
  }
  return busy;
}

/** The ports of /proc/net/udp or udp6 text a UDP socket is bound to (any state: each holds its local port). */
export function boundUdpPorts(text: string): Set<number> {
  const ports = new Set<number>();
  for (const line of text.split('\n')) {
    const local = line.trim().split(/\s+/)[1];
    if (!local?.includes(':')) continue;
    const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    if (port > 0) ports.add(port);
  }
  return ports;
}

/**
 * The ports of /proc/net/tcp or tcp6 text (any number of tables, headers included) that a test bind would
 * refuse: 0A, listening; 07 with an inode, bound but not (yet) listening. Connections (01, 06…) never block one.
 */
export function boundTcpPorts(text: string): Set<number> {
  const ports = new Set<number>();
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    if (!local?.includes(':') || !(cols[3] === '0A' || (cols[3] === '07' && cols[9] !== '0'))) continue;
    const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    if (port > 0) ports.add(port);
  }
  return ports;
}

/** Socket inode → port for TCP listeners (state 0A) and bound UDP sockets, from /proc/net. */
async function linuxSocketPorts(wanted: ReadonlySet<number>): Promise<Map<string, number>> {
  const byInode = new Map<string, number>();
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const text = await readFile(`/proc/net/${table}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      const inode = cols[9];
      if (!local || !inode || inode === '0') continue;
      if (table.startsWith('tcp') && cols[3] !== '0A') continue;
      const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
      if (wanted.has(port)) byInode.set(inode, port);
    }
  }
  return byInode;
}

/** One pass over /proc/<pid>/fd for all ports at once: the cost is the same for 1 port or 600. */
async function linuxOwners(ports: readonly number[]): Promise<Map<number, PortOwner>> {
  const owners = new Map<number, PortOwner>();
  const byInode = await linuxSocketPorts(new Set(ports));
  const portCount = new Set(byInode.values()).size;
  if (portCount === 0) return owners;
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]); // gone, or not ours to read
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const port = target.startsWith('socket:[') ? byInode.get(target.slice(8, -1)) : undefined;
      if (port === undefined || owners.has(port)) continue;
      const name = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '?')).trim();
      const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
      owners.set(port, { pid: Number(pid), name, ...(cwd ? { cwd } : {}) });
      if (owners.size === portCount) return owners;
    }
  }
  return owners;
}

/** macOS and others: `lsof`, argument array only. */
function lsofOwner(port: number): Promise<PortOwner | undefined> {
  return new Promise((resolve) => {
    execFile('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], { timeout: 3000 }, (err, stdout) => {
      if (err && !stdout) return resolve(undefined);
      const pid = /^p(\d+)/m.exec(stdout)?.[1];
      const name = /^c(.+)$/m.exec(stdout)?.[1];
      resolve(pid ? { pid: Number(pid), name: name ?? '?' } : undefined);
    });
  });
}

/** The programs holding `ports`, where the OS tells (another user's processes may not be readable). */
export async function findPortOwners(ports: readonly number[]): Promise<Map<number, PortOwner>> {
  if (process.platform === 'linux') return linuxOwners(ports);
  const owners = new Map<number, PortOwner>();
  for (const port of ports) {
    const owner = await lsofOwner(port);
    if (owner) owners.set(port, owner);
  }
  return owners;
}

export const hostPortProbe: HostPortProbe = {
  isFree: isPortFree,
  busy: linuxBusyPorts,
  owners: findPortOwners,
};

export function describeOwner(owner: PortOwner | undefined): string {
  if (!owner) return 'another program';
  return owner.pid ? `${owner.name} (pid ${owner.pid})` : owner.name; // pid 0: on another host, named by the engine
}
