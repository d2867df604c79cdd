import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { busyPorts, isPortFree, linuxBusyPorts } from '../../main/core/ports/hostPorts';
import { portProtocols } from '../../main/core/ports/portRanges';

function listen(host: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ port: 0, host }, () => resolve(s));
  });
}
const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port;
const close = (s: net.Server) => new Promise<void>((r) => s.close(() => r()));

test('one read of /proc/net finds listeners on any address, and agrees with a test bind', async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  const servers = [await listen('127.0.0.1'), await listen('0.0.0.0'), await listen('::1')];
  const held = servers.map(portOf);
  const released = await listen('127.0.0.1');
  const freed = portOf(released);
  await close(released);
  try {
    const busy = await linuxBusyPorts([...held, freed]);
    assert.deepEqual([...busy!].sort(), [...held].sort());
    // The bind probe says the same port by port.
    for (const p of held) assert.equal(await isPortFree(p), false, `bind on ${p}`);
    assert.equal(await isPortFree(freed), true);
    // busyPorts takes the one read when the probe offers it, and binds only without it.
    assert.deepEqual(
      [
        ...(await busyPorts([...held, freed], {
          isFree: () => Promise.reject(new Error('bound')),
          busy: linuxBusyPorts,
        })),
      ].sort(),
      [...held].sort(),
    );
    assert.deepEqual([...(await busyPorts([...held, freed], { isFree: isPortFree }))].sort(), [...held].sort());
  } finally {
    await Promise.all(servers.map(close));
  }
});

/** A UDP socket bound on a free port of 127.0.0.1. */
async function udpSocket() {
  const { default: dgram } = await import('node:dgram');
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return { sock, port: sock.address().port };
}

const closeUdp = (sock: { close(cb: () => void): void }) => new Promise<void>((r) => sock.close(() => r()));

test('a /udp port is busy when a UDP socket is bound there, and only then; a TCP port as before', async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  const { sock, port } = await udpSocket();
  try {
    assert.deepEqual([...(await linuxBusyPorts([port], new Map([[port, 'udp']])))!], [port], 'held over UDP');
    assert.equal((await linuxBusyPorts([port]))!.size, 0, 'no TCP listener there');
    assert.equal(await isPortFree(port, true), false, 'a UDP bind agrees');
    assert.deepEqual([...(await busyPorts([port], { isFree: isPortFree }, 1, new Map([[port, 'udp']])))], [port]);
  } finally {
    await closeUdp(sock);
  }
  assert.equal((await linuxBusyPorts([port], new Map([[port, 'udp']])))!.size, 0, 'free once closed');
  assert.equal(await isPortFree(port, true), true);
});

test('a port published over TCP and UDP is busy when either a TCP listener or a UDP socket holds it', async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  const { sock, port: udpHeld } = await udpSocket();
  const server = await listen('127.0.0.1');
  const tcpHeld = portOf(server);
  // What a registration says (`turn` and `dns` published over both), as the probe is asked it.
  const both = portProtocols({ turn: udpHeld, dns: tcpHeld }, undefined, { turn: 'tcp+udp', dns: 'tcp+udp' });
  assert.deepEqual(
    [...both],
    [
      [udpHeld, 'tcp+udp'],
      [tcpHeld, 'tcp+udp'],
    ],
  );
  try {
    const ports = [udpHeld, tcpHeld];
    assert.deepEqual([...(await linuxBusyPorts(ports, both))!].sort(), [...ports].sort(), 'one read of /proc/net');
    assert.deepEqual([...(await busyPorts(ports, { isFree: isPortFree }, 1, both))].sort(), [...ports].sort(), 'binds');
    // UDP alone still ignores a TCP listener, TCP alone a UDP socket.
    const udpOnly = new Map([[tcpHeld, 'udp']]);
    assert.equal((await linuxBusyPorts([tcpHeld], udpOnly))!.size, 0);
    assert.equal((await busyPorts([tcpHeld], { isFree: isPortFree }, 1, udpOnly)).size, 0);
    assert.equal((await linuxBusyPorts([udpHeld]))!.size, 0);
  } finally {
    await closeUdp(sock);
    await close(server);
  }
});
