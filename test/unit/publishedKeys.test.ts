import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Dockerode from 'dockerode';
import { portsByKey } from '../../main/docker/status/status';
import { oldPorts } from '../../main/api/overview/overview';
import type { InstanceRecord } from '../../main/core/registry/record';
import { container } from './containers';

/** A range as the engine lists it: one entry per port, in the engine's own (map) order, IPv6 twins included. */
function range(host: number, target: number, n: number, type = 'tcp', ip = '127.0.0.1'): Dockerode.Port[] {
  const out = Array.from({ length: n }, (_, i) => ({
    IP: ip,
    PrivatePort: target + i,
    PublicPort: host + i,
    Type: type,
  }));
  // Shuffled deterministically: the first listed is never the range's first.
  return [...out.slice(n - 7), ...out.slice(0, n - 7)].reverse();
}

const running = (service: string, ports: Dockerode.Port[], project = 'cloud_wt1') =>
  container(service, 'Up 5 minutes', 'running', project, ports);

describe('what running containers publish, by registry key: a range is one entry', () => {
  test('a 50-port loopback range on its block reads as its key at the first port, whatever the engine order', () => {
    const c = running('localstack', range(8310, 4510, 50));
    assert.deepEqual(portsByKey([c], { localstack: 50 }), { localstack: 8310 });
  });

  test('a port and a range published over TCP and UDP read as one key each, not a key per protocol', () => {
    const turn = running('turn', [
      { IP: '127.0.0.1', PrivatePort: 3478, PublicPort: 3577, Type: 'udp' },
      { IP: '127.0.0.1', PrivatePort: 3478, PublicPort: 3577, Type: 'tcp' },
    ]);
    const relay = running('relay', [...range(10100, 10000, 11, 'udp'), ...range(10100, 10000, 11)]);
    assert.deepEqual(portsByKey([turn, relay], { relay: 11 }, { turn: 3577, relay: 10100 }), {
      turn: 3577,
      relay: 10100,
    });
  });

  test('two UDP ranges of two services, and a single port beside them, keep their keys', () => {
    const media = running('media', range(57776, 50100, 101, 'udp', '0.0.0.0'), 'webrtc_wt1');
    const relay = running('relay', range(57977, 50300, 101, 'udp', '0.0.0.0'), 'webrtc_wt1');
    const signal = running('signal', [{ IP: '127.0.0.1', PrivatePort: 8443, PublicPort: 18544, Type: 'tcp' }]);
    assert.deepEqual(portsByKey([signal, media, relay], { media: 101, relay: 101 }), {
      signal: 18544,
      media: 57776,
      relay: 57977,
    });
  });

  test("a range's second block in one service is matched by its own container port", () => {
    const c = running('rtc', [...range(9000, 50300, 11, 'udp'), ...range(8000, 50100, 11, 'udp')]);
    assert.deepEqual(portsByKey([c], { rtc: 11, 'rtc:50300-50310/udp': 11 }), {
      rtc: 8000,
      'rtc:50300-50310/udp': 9000,
    });
  });

  test('a single port just below a range, counting on with it, stays a single port (the registered block says where)', () => {
    const c = running('localstack', [
      { IP: '127.0.0.1', PrivatePort: 4509, PublicPort: 8309, Type: 'tcp' },
      ...range(8310, 4510, 50),
    ]);
    assert.deepEqual(portsByKey([c], { localstack: 50 }, { localstack: 8310, 'localstack:4509': 8309 }), {
      localstack: 8310,
      'localstack:4509': 8309,
    });
  });

  test('single ports keep their keys: the service for the first, service:target for more', () => {
    const c = running('web', [
      { IP: '127.0.0.1', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { IP: '127.0.0.1', PrivatePort: 81, PublicPort: 8081, Type: 'tcp' },
    ]);
    assert.deepEqual(portsByKey([c]), { web: 8080, 'web:81': 8081 });
  });

  test("the card's old ports: none for a range running on its block; its first port where it runs on another", () => {
    const rec = { ports: { localstack: 8310 }, spans: { localstack: 50 } } as unknown as InstanceRecord;
    assert.deepEqual(oldPorts(rec, [running('localstack', range(8310, 4510, 50))]), {});
    assert.deepEqual(oldPorts(rec, [running('localstack', range(8360, 4510, 50))]), { localstack: 8360 });
  });
});
