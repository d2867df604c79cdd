import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { folderKey, OperationTracker, type TrackerHooks } from '../../main/api/controller/operations';
import type { NotificationView } from '../../main/shared/api/table';
import { AxiError } from '../../main/shared/errors';

function tracker() {
  const log: string[] = [];
  const notes: NotificationView[] = [];
  const hooks: TrackerHooks = {
    changed: () => log.push('changed'),
    settled: () => log.push('settled'),
    notify: (n) => notes.push(n),
    progress: (key, line) => log.push(`progress ${key}: ${line}`),
  };
  return { ops: new OperationTracker(hooks), log, notes };
}

/** A promise and the functions that settle it, to hold an operation open. */
function gate<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const auth = { key: 'aegisx/auth', label: 'auth' };

describe('operation tracker', () => {
  test('busy while it runs; a second operation on the same instance is refused, another instance runs', async () => {
    const { ops } = tracker();
    const g = gate<string>();
    const start = ops.run({ ...auth, what: 'start' }, () => g.promise);
    assert.equal(ops.busyWith(auth.key), 'start');
    assert.deepEqual(ops.busyKeys(), [auth.key]);
    await assert.rejects(
      ops.run({ ...auth, what: 'stop' }, async () => 'no'),
      (e: unknown) => e instanceof AxiError && e.code === 'BUSY' && e.message === 'auth is busy (start)',
    );
    assert.equal(
      await ops.run({ key: 'aegisx/pay', label: 'pay', what: 'stop' }, async () => 'pay stopped'),
      'pay stopped',
    );
    g.resolve('auth started');
    assert.equal(await start, 'auth started');
    assert.equal(ops.busyWith(auth.key), null);
    assert.deepEqual(ops.busyKeys(), []);
  });

  test('a failure is kept in place until the next operation on it starts, and the busy flag is cleared', async () => {
    const { ops, notes } = tracker();
    await assert.rejects(
      ops.run({ ...auth, what: 'start' }, async () => Promise.reject(new AxiError('DOCKER', 'compose up failed'))),
      /compose up failed/,
    );
    assert.equal(ops.errorOf(auth.key), 'compose up failed');
    assert.equal(ops.busyWith(auth.key), null);
    assert.deepEqual(notes, [], 'an instance failure shows on the instance, not as a notification');
    await ops.run({ ...auth, what: 'start' }, async () => {
      assert.equal(ops.errorOf(auth.key), null, 'cleared as the next operation starts');
    });
    assert.equal(ops.errorOf(auth.key), null);
  });

  test('the overview follows (changed) and the ports are re-checked (settled), either way it ends; output is progress', async () => {
    const { ops, log } = tracker();
    await ops.run({ ...auth, what: 'stop' }, async (progress) => progress('Stopping aegisx_auth_web_1 ... done'));
    await ops.run({ ...auth, what: 'start' }, async () => Promise.reject(new Error('x'))).catch(() => undefined);
    assert.deepEqual(log, [
      'changed',
      'progress aegisx/auth: Stopping aegisx_auth_web_1 ... done',
      'changed',
      'settled',
      'changed',
      'changed',
      'settled',
    ]);
  });

  test('a port conflict is also a notification, naming the instance (a folder: none)', async () => {
    const { ops, notes } = tracker();
    const conflict = () => Promise.reject(new AxiError('PORT_CONFLICT', 'port 4233 (web) of auth is in use by nginx'));
    await ops.run({ ...auth, what: 'start' }, conflict).catch(() => undefined);
    await ops.run({ key: folderKey('/src/x'), label: '/src/x', what: 'register' }, conflict).catch(() => undefined);
    assert.deepEqual(
      notes.map((n) => [n.kind, n.instance, n.body]),
      [
        ['conflict', 'auth', 'port 4233 (web) of auth is in use by nginx'],
        ['conflict', null, 'port 4233 (web) of auth is in use by nginx'],
      ],
    );
  });

  test("notifyFailure: the tray's Add repository has nowhere else to show a refused folder", async () => {
    const { ops, notes } = tracker();
    const refuse = () => Promise.reject(new AxiError('BAD_INPUT', 'not a folder: /etc/passwd'));
    await ops
      .run({ key: folderKey('/etc/passwd'), label: '/etc/passwd', what: 'register' }, refuse)
      .catch(() => undefined);
    assert.deepEqual(notes, [], 'the window shows its own refusals in place');
    await ops
      .run({ key: folderKey('/etc/passwd'), label: '/etc/passwd', what: 'register', notifyFailure: true }, refuse)
      .catch(() => undefined);
    assert.deepEqual(notes, [
      { kind: 'failed', title: 'Could not register /etc/passwd', body: 'not a folder: /etc/passwd', instance: null },
    ]);
  });
});
