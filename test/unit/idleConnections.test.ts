import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { test } from 'node:test';
import { netstatEstablished, parseSsActivity } from '../../main/core/ports/hostConnections';
import { usedConnections } from '../../main/core/instances/idle';
import { RouterUsage } from '../../main/router/usage';

const SS = `0      0          127.0.0.1:5432    127.0.0.1:48774 users:(("psql",pid=1,fd=3))
\t ts sack cubic wscale:7,7 rto:204 bytes_acked:120 lastsnd:600000 lastrcv:600000 lastack:100
0      0          127.0.0.1:4200    127.0.0.1:48782
\t ts sack cubic bytes_acked:1 lastsnd:90000 lastrcv:95000 lastack:152
0      0          [::1]:4200    [::1]:48790
\t ts sack cubic bytes_acked:900 lastsnd:200 lastrcv:1200 lastack:152
0      0          127.0.0.1:4200    127.0.0.1:50000
\t ts sack cubic lastsnd:10 lastrcv:10
`;

test('ss text: each connection with the ms since its last data either way', () => {
  assert.deepEqual(parseSsActivity(SS), [
    { local: 5432, peer: 48774, quietMs: 600000 },
    { local: 4200, peer: 48782, quietMs: 90000 },
    { local: 4200, peer: 48790, quietMs: 200 },
    { local: 4200, peer: 50000, quietMs: 10 },
  ]);
});

test('what counts as use: every open database connection; on an HTTP port only one with bytes in the idle time', () => {
  const ports = { db: 5432, web: 4200 };
  const established = new Map([
    [5432, 1],
    [4200, 3],
  ]);
  const activity = parseSsActivity(SS);
  // 60 s idle time: the quiet psql session counts, the quiet keep-alive does not, the busy one does.
  // The connection from 50000 is the router's own (its requests are counted instead).
  assert.equal(usedConnections(ports, established, activity, 60_000, new Set([50000])), 2);
  assert.equal(usedConnections(ports, established, activity, 60_000), 3);
  // No `ss` here: every connection counts, as before, rather than stop one in use.
  assert.equal(usedConnections(ports, established, undefined, 60_000), 4);
  assert.equal(usedConnections({ web: 4200 }, new Map(), activity, 60_000), 0, 'none open, none counted');
});

test('netstat text (macOS and Windows): established connections by local port', () => {
  const mac = `Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)
tcp4       0      0  127.0.0.1.5432         127.0.0.1.61234        ESTABLISHED
tcp6       0      0  ::1.5432               ::1.61240              ESTABLISHED
tcp4       0      0  *.5432                 *.*                    LISTEN`;
  assert.deepEqual([...netstatEstablished(mac)], [[5432, 2]]);
  const win = `  TCP    127.0.0.1:4200     127.0.0.1:61234    ESTABLISHED\r\n  TCP    0.0.0.0:4200     0.0.0.0:0    LISTENING`;
  assert.deepEqual([...netstatEstablished(win)], [[4200, 1]]);
});

test("the router's usage: requests in flight until their response closes; WebSocket bytes kept after close", () => {
  const usage = new RouterUsage();
  const res = new EventEmitter() as unknown as http.ServerResponse;
  usage.request('a', res);
  assert.equal(usage.snapshot().get('a')?.inflight, 1);
  res.emit('close');
  assert.equal(usage.snapshot().get('a')?.inflight, 0);
  const ws = Object.assign(new EventEmitter(), { bytesRead: 10, bytesWritten: 5 }) as unknown as Duplex & {
    bytesRead: number;
  };
  usage.upgrade('a', ws);
  assert.equal(usage.snapshot().get('a')?.wsBytes, 15);
  ws.bytesRead = 30;
  ws.emit('close');
  assert.equal(usage.snapshot().get('a')?.wsBytes, 35, 'the counter only grows');
});
