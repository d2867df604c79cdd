import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LogStreams, type LogSource } from '../../main/api/overview/logStreams';
import type { ApiEvents } from '../../main/shared/api/table';
import { AxiError } from '../../main/shared/errors';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Docker side that sends `history` at once, then follows until aborted; `live(line)` sends one more. */
function fakeSource(history: string[]) {
  const calls: { name: string; service?: string; tail: number; signal: AbortSignal }[] = [];
  const sinks: ((line: string, service: string) => void)[] = [];
  const source: LogSource = (name, o) => {
    calls.push({ name, service: o.service, tail: o.tail, signal: o.signal });
    sinks.push(o.onLine);
    for (const l of history) o.onLine(l, o.service ?? 'web');
    return new Promise((resolve) => o.signal.addEventListener('abort', () => resolve()));
  };
  return { source, calls, live: (line: string) => sinks.forEach((s) => s(line, 'web')) };
}

function streams(source: LogSource, settleMs = 20) {
  const events: ApiEvents['log'][] = [];
  let n = 0;
  const logs = new LogStreams({ source, emit: (e) => events.push(e), settleMs, tail: 50, newId: () => `s${++n}` });
  return { logs, events };
}

describe('log streams', () => {
  test('history is sent under the id the call returns, before it returns; nothing after stop', async () => {
    const fake = fakeSource(['one', 'two']);
    const { logs, events } = streams(fake.source);
    const { stream } = await logs.start('auth', 'web');
    assert.equal(stream, 's1');
    assert.deepEqual(events, [
      { stream: 's1', service: 'web', line: 'one' },
      { stream: 's1', service: 'web', line: 'two' },
    ]);
    assert.deepEqual(
      fake.calls.map((c) => [c.name, c.service, c.tail]),
      [['auth', 'web', 50]],
    );
    fake.live('three');
    assert.equal(events.length, 3);
    assert.deepEqual(logs.stop(stream), { stopped: true });
    assert.equal(fake.calls[0]!.signal.aborted, true, 'the Docker side is told to stop');
    fake.live('after stop');
    assert.equal(events.length, 3);
    assert.equal(logs.size, 0);
    assert.deepEqual(logs.stop(stream), { stopped: false });
  });

  test('the first line answers at once: the window does not wait out the settle time to show it', async () => {
    const { logs } = streams(fakeSource(['ready']).source, 10_000);
    const t0 = Date.now();
    const { stream } = await logs.start('auth', 'web');
    assert.ok(Date.now() - t0 < 1000, `answered after ${Date.now() - t0} ms`);
    logs.stop(stream);
    // Without a line, it waits for the settle time (an early failure would still reject).
    const quiet = streams(fakeSource([]).source, 200);
    const t1 = Date.now();
    const r = await quiet.logs.start('auth', 'web');
    assert.ok(Date.now() - t1 >= 190);
    quiet.logs.stop(r.stream);
  });

  test('a failure before the stream settles (no such service) rejects, and keeps no stream', async () => {
    const source: LogSource = async () =>
      Promise.reject(new AxiError('NOT_FOUND', 'auth has no container for service nope'));
    const { logs } = streams(source);
    await assert.rejects(logs.start('auth', 'nope'), /no container for service nope/);
    assert.equal(logs.size, 0);
  });

  test('a stream whose containers go away is cleaned up, and later lines are dropped', async () => {
    let end!: () => void;
    let onLine!: (l: string, s: string) => void;
    const source: LogSource = (_name, o) => {
      onLine = o.onLine;
      return new Promise((resolve) => (end = resolve));
    };
    const { logs, events } = streams(source, 5);
    const { stream } = await logs.start('auth', null);
    assert.equal(logs.size, 1);
    end();
    await sleep(5);
    assert.equal(logs.size, 0);
    onLine('late', 'web');
    assert.deepEqual(events, []);
    assert.deepEqual(logs.stop(stream), { stopped: false });
  });

  test('a later failure ends the stream without surfacing as an unhandled rejection', async () => {
    let fail!: (e: Error) => void;
    const source: LogSource = () => new Promise((_resolve, reject) => (fail = reject));
    const { logs } = streams(source, 5);
    await logs.start('auth', null);
    fail(new Error('connection reset'));
    await sleep(5);
    assert.equal(logs.size, 0);
  });

  test('stopAll (the app quitting) aborts every stream', async () => {
    const fake = fakeSource([]);
    const { logs } = streams(fake.source, 1);
    await Promise.all([logs.start('auth', null), logs.start('pay', 'api')]);
    assert.equal(logs.size, 2);
    logs.stopAll();
    assert.equal(logs.size, 0);
    assert.deepEqual(
      fake.calls.map((c) => c.signal.aborted),
      [true, true],
    );
  });
});
