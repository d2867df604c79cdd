import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideIdle, type IdleInput, type IdleMemory } from '../../main/core/instances/idle';
import { idleTimeFor, parseIdleTime } from '../../main/shared/schemas/idlePolicy';
import { establishedTcpPorts } from '../../main/core/ports/hostConnections';
import { validateConfig } from '../../main/core/project/repoConfig';

const base: IdleInput = { id: 'a', running: true, idleMs: 1000, pinned: false, hits: 0, connections: 0, busy: [] };

/** Runs ticks at the given times over one instance whose inputs change per tick. */
function ticks(steps: [number, Partial<IdleInput>][]): string[][] {
  let memory: ReadonlyMap<string, IdleMemory> = new Map();
  return steps.map(([now, change]) => {
    const v = decideIdle(now, [{ ...base, ...change }], memory);
    memory = v.memory;
    return v.sleep.map((s) => s.id);
  });
}

test('idle times: 30m, 2h, 45s, off; anything else is refused', () => {
  assert.equal(parseIdleTime('30m'), 1_800_000);
  assert.equal(parseIdleTime('2h'), 7_200_000);
  assert.equal(parseIdleTime('45s'), 45_000);
  assert.equal(parseIdleTime('off'), null);
  assert.equal(parseIdleTime(false), null);
  assert.equal(parseIdleTime('soon'), undefined);
  assert.equal(parseIdleTime('0s'), undefined);
});

test('policy: idle: 30m puts worktrees to sleep, never the main checkout; main and worktrees set apart', () => {
  assert.equal(idleTimeFor(undefined, false), null, 'nothing sleeps without configuration');
  assert.equal(idleTimeFor('30m', false), 1_800_000);
  assert.equal(idleTimeFor('30m', true), null);
  assert.equal(idleTimeFor('off', false), null);
  assert.equal(idleTimeFor({ main: '2h', worktrees: 'off' }, true), 7_200_000);
  assert.equal(idleTimeFor({ main: '2h', worktrees: 'off' }, false), null);
  assert.equal(idleTimeFor({ main: '2h' }, false), null);
});

test('the repository config takes idle: and names a bad value in one line', () => {
  assert.equal(validateConfig({ idle: '30m' }, 'x.yml').idle, '30m');
  assert.deepEqual(validateConfig({ idle: { worktrees: '10m' } }, 'x.yml').idle, { worktrees: '10m' });
  assert.throws(
    () => validateConfig({ idle: 'soon' }, '/r/.aegisx-instances.yml'),
    /\/r\/\.aegisx-instances\.yml: key idle/,
  );
});

test('an instance unused for its idle time sleeps; once, and not before', () => {
  assert.deepEqual(
    ticks([
      [0, {}],
      [500, {}],
      [999, {}],
      [1000, {}],
    ]),
    [[], [], [], ['a']],
  );
});

test('requests, connections, operations and a pin each keep it awake', () => {
  // A router hit at 800 restarts the count: not asleep at 1000, asleep at 1800.
  assert.deepEqual(
    ticks([
      [0, {}],
      [800, { hits: 3 }],
      [1000, { hits: 3 }],
      [1800, { hits: 3 }],
    ]),
    [[], [], [], ['a']],
  );
  assert.deepEqual(
    ticks([
      [0, {}],
      [5000, { connections: 2 }],
      [5500, {}],
    ]),
    [[], [], []],
  );
  assert.deepEqual(
    ticks([
      [0, {}],
      [5000, { busy: ['logs -f'] }],
    ]),
    [[], []],
  );
  assert.deepEqual(
    ticks([
      [0, { pinned: true }],
      [5000, { pinned: true }],
    ]),
    [[], []],
  );
});

test('stopped, unconfigured and newly seen instances never sleep on this tick', () => {
  assert.deepEqual(
    ticks([
      [0, { running: false }],
      [5000, { running: false }],
    ]),
    [[], []],
  );
  assert.deepEqual(
    ticks([
      [0, { idleMs: null }],
      [5000, { idleMs: null }],
    ]),
    [[], []],
  );
  assert.deepEqual(ticks([[5000, {}]]), [[]]);
});

test('established connections are counted by local port from /proc/net/tcp text; listeners are not', () => {
  const text = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100 1 0 100 0 0 10 0
   1: 0100007F:1538 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 101 1 0 20 4 30 10 -1
   2: 0100007F:1538 0100007F:C351 01 00000000:00000000 00:00000000 00000000     0        0 102 1 0 20 4 30 10 -1
   3: 0100007F:C350 0100007F:1538 01 00000000:00000000 00:00000000 00000000     0        0 103 1 0 20 4 30 10 -1
   4: 0100007F:1539 0100007F:C352 06 00000000:00000000 00:00000000 00000000     0        0 0 1 0 20 4 30 10 -1`;
  const counts = establishedTcpPorts(text);
  assert.equal(counts.get(0x1538), 2, 'two clients of 5432');
  assert.equal(counts.get(0x1539), undefined, 'TIME_WAIT is not a connection');
  // The router's own connection (from its port 0xC350) is left out: its requests are counted instead.
  assert.equal(establishedTcpPorts(text, new Set([0xc350])).get(0x1538), 1);
});
