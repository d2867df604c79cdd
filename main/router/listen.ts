/**
 * Where the router listens: one port on both loopbacks, 127.0.0.1 and ::1 where this machine has IPv6.
 * `*.localhost` names resolve to both (browsers, curl, and `axi router hosts` lines), so a router on one
 * only would leave the other refused, or answered by another program on the same port.
 */
import net from 'node:net';
import os from 'node:os';
import { AxiError } from '../shared/errors';

/** Whether this machine has the IPv6 loopback (a kernel or namespace without IPv6 has none). */
export function hasIpv6Loopback(): boolean {
  return Object.values(os.networkInterfaces()).some((list) => list?.some((a) => a.internal && a.address === '::1'));
}

function listenOne(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(err);
    server.once('error', failed);
    server.listen({ port, host }, () => {
      server.off('error', failed);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

const close = (s: net.Server) => new Promise<void>((resolve) => s.close(() => resolve()));

/** The one line for a port that cannot be had. */
function portError(err: NodeJS.ErrnoException, port: number, host: string): Error {
  const where = host === '::1' ? ` on [::1]` : '';
  if (err.code === 'EADDRINUSE')
    return new AxiError(
      'PORT_CONFLICT',
      `router port ${port} is in use${where} (another router or program); pick another with --port or the routerPort setting`,
    );
  if (err.code === 'EACCES')
    return new AxiError('BAD_INPUT', `router port ${port} needs privilege here; see axi router status`);
  return err;
}

/**
 * Listens with `make()`'s servers on `port` (0: any free one, the same on both) of 127.0.0.1 and ::1, or of
 * `host` alone. Returns the port and the addresses it listens on. A port free on 127.0.0.1 but taken on ::1 is
 * a conflict (names would reach the other program); with port 0 another free port is tried instead.
 */
export async function listenOnLoopbacks(
  make: () => net.Server,
  port: number,
  host?: string,
  tries = 5,
): Promise<{ port: number; servers: net.Server[]; addresses: string[] }> {
  const v4 = make();
  const first = host ?? '127.0.0.1';
  const got = await listenOne(v4, port, first).catch((err: NodeJS.ErrnoException) => {
    throw portError(err, port, first);
  });
  if (host || !hasIpv6Loopback()) return { port: got, servers: [v4], addresses: [first] };
  try {
    const v6 = make();
    await listenOne(v6, got, '::1');
    return { port: got, servers: [v4, v6], addresses: ['127.0.0.1', '::1'] };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return { port: got, servers: [v4], addresses: [first] };
    await close(v4);
    if (port === 0 && code === 'EADDRINUSE' && tries > 1) return listenOnLoopbacks(make, 0, undefined, tries - 1);
    throw portError(err as NodeJS.ErrnoException, got, '::1');
  }
}

/** `127.0.0.1:7080 and [::1]:7080`: where it listens, as `axi router` and its status say. */
export function listeningText(addresses: readonly string[], port: number): string {
  return addresses.map((a) => `${net.isIPv6(a) ? `[${a}]` : a}:${port}`).join(' and ');
}
