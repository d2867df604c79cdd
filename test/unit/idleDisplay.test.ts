import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stateOf } from '../../main/shared/display/instanceDisplay';
import { IdleCheck } from '../../main/api/controller/idleCheck';
import { notificationsFor } from '../../main/api/controller/notifications';
import { idleNotifies } from '../../main/shared/schemas/idlePolicy';
import type { Overview } from '../../main/shared/api/table';
import { buildTrayTemplate, type TrayActions } from '../../main/electron/trayMenu';
import { instanceStatus } from '../../main/docker/status/status';
import { container } from './containers';
import { instanceView } from './views';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const since = NOW - 42 * 60_000;

test('asleep is its own state: the card says Asleep · 42 min, never Stopped', () => {
  const i = instanceView('fix-login', { status: 'asleep', since, asleep: { since, why: 'idle 30 min' } });
  assert.deepEqual(stateOf(i, 'connected', NOW), { word: 'Asleep', tone: 'idle', detail: '42 min' });
});

test('the one status derivation: stopped after a sleep is asleep; started since, it is what the engine says', () => {
  const rec = { name: 'fix-login', project: 'p', services: ['web'] };
  const mark = { since, why: 'idle' };
  const stopped = [container('web', 'Exited (0) 3 minutes ago', 'exited', 'p')];
  assert.equal(instanceStatus(rec, stopped, undefined, mark).status, 'asleep');
  assert.equal(instanceStatus(rec, stopped).status, 'stopped');
  const running = [container('web', 'Up 2 minutes', 'running', 'p')];
  assert.equal(instanceStatus(rec, running, undefined, mark).status, 'running');
});

test('the tray says asleep and offers Wake', () => {
  const i = instanceView('fix-login', { status: 'asleep', asleep: { since: Date.now() - 42 * 60_000, why: 'idle' } });
  const o: Overview = { engine: 'connected', engines: [], instances: [i], conflicts: [], refreshError: null };
  const actions = new Proxy({}, { get: () => () => undefined }) as TrayActions;
  const item = buildTrayTemplate(o, actions, { notifications: true, startAtLogin: false }).find((x) =>
    String(x.label).startsWith('fix-login'),
  )!;
  assert.equal(item.label, 'fix-login (Asleep · 42 min)');
  const sub = item.submenu as { label?: string }[];
  assert.ok(sub.some((s) => s.label === 'Wake'));
  assert.ok(sub.some((s) => s.label === 'Asleep — click to wake'));
});

test('many wakes at once: one start, every caller told when it is up', async () => {
  let starts = 0;
  let finish!: () => void;
  const idle = new IdleCheck({
    home: '/nonexistent',
    records: async () => [],
    overview: async () => ({ instances: [] }),
    busyOn: () => [],
    sleep: async () => undefined,
    stop: async () => undefined,
    start: () => (starts++, new Promise<void>((r) => (finish = r))),
    changed: () => undefined,
  });
  const waits = Array.from({ length: 20 }, () => idle.wake('a'));
  assert.equal(idle.isWaking('a'), true);
  finish();
  await Promise.all(waits);
  assert.equal(starts, 1);
  assert.equal(idle.isWaking('a'), false);
});

test('a notification when one is put to sleep only where the repository asked; never a failure or a "ready"', () => {
  const running = instanceView('fix-login', { status: 'running' });
  const ov = (i: typeof running): Overview => ({
    engine: 'connected',
    engines: [],
    instances: [i],
    conflicts: [],
    refreshError: null,
  });
  const asleep = (notify?: boolean) =>
    instanceView('fix-login', {
      status: 'asleep',
      asleep: { since, why: 'idle 30 min: no requests, connections or operations', ...(notify ? { notify } : {}) },
    });
  assert.deepEqual(notificationsFor(ov(running), ov(asleep())), [], 'not asked: nothing');
  assert.deepEqual(
    notificationsFor(ov(running), ov(asleep(true))).map((n) => [n.kind, n.title, n.body]),
    [
      [
        'asleep',
        'fix-login is asleep',
        'idle 30 min: no requests, connections or operations. Its first request wakes it.',
      ],
    ],
  );
  assert.deepEqual(notificationsFor(ov(asleep(true)), ov(asleep(true))), [], 'once');
  assert.deepEqual(notificationsFor(ov(asleep(true)), ov(running)), [], 'woken: no "ready" for a wake');
});

test('the repository policy: the main checkout and worktrees apart, and notify only when asked', () => {
  assert.equal(idleNotifies('30m'), false);
  assert.equal(idleNotifies({ worktrees: '30m' }), false);
  assert.equal(idleNotifies({ worktrees: '30m', notify: true }), true);
});
