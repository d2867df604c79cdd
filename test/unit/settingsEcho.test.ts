import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { echoChosen, echoServer, echoSettled, echoStart, type EchoState } from '../../main/shared/api/settingsEcho';

type V = 'cards' | 'table';
/** Steps in the order a window sees them: its clicks, the server's views (events), its writes' answers. */
type Step = ['click', V] | ['event', V, number] | ['answer', V, number] | ['failed'];
const play = (steps: Step[], from: EchoState<V> = echoServer(echoStart<V>('cards'), 'cards', 1)) =>
  steps.reduce<{ s: EchoState<V>; seen: V[] }>(
    ({ s, seen }, step) => {
      const n =
        step[0] === 'click'
          ? echoChosen(s, step[1])
          : step[0] === 'event'
            ? echoServer(s, step[1], step[2])
            : step[0] === 'answer'
              ? echoSettled(s, { value: step[1], revision: step[2] })
              : echoSettled(s);
      return { s: n, seen: [...seen, n.shown] };
    },
    { s: from, seen: [] },
  );

/** The list view's setting, changed in this window and others, its echoes late and out of order (axi serve). */
describe('the list view setting: the last writer wins, whatever the order of the echoes', () => {
  test('two quick choices: a late echo of the first never undoes the second, nor flickers', () => {
    const r = play([
      ['click', 'table'],
      ['click', 'cards'],
      ['answer', 'table', 2],
      ['answer', 'cards', 3],
      ['event', 'table', 2], // the first choice's echo, late
      ['event', 'cards', 3],
    ]);
    assert.deepEqual(r.seen, ['table', 'cards', 'cards', 'cards', 'cards', 'cards']);
  });

  test("another window's change while a choice is in flight is not lost: newer, it is shown once ours is answered", () => {
    const r = play([
      ['click', 'table'],
      ['answer', 'table', 2],
      ['click', 'cards'], // in flight...
      ['event', 'table', 4], // ...another window chose Compact after our write reached the server (3)
      ['answer', 'cards', 3],
    ]);
    assert.deepEqual(r.seen, ['table', 'table', 'cards', 'cards', 'table']);
    assert.equal(r.s.shown, 'table');
  });

  test("another window's older change, echoed while ours is in flight, does not win over ours", () => {
    const r = play([
      ['click', 'table'],
      ['event', 'cards', 2],
      ['answer', 'table', 3],
      ['event', 'table', 3],
    ]);
    assert.deepEqual(r.seen, ['table', 'table', 'table', 'table']);
  });

  test('a change from another window with none of ours in flight is shown at once; a stale one is not', () => {
    const r = play([
      ['event', 'table', 5],
      ['event', 'cards', 4],
    ]);
    assert.deepEqual(r.seen, ['table', 'table']);
  });

  test('a write that failed shows what the server holds (the last change that did land)', () => {
    const r = play([['click', 'table'], ['click', 'cards'], ['answer', 'table', 2], ['failed']]);
    assert.deepEqual(r.seen, ['table', 'cards', 'cards', 'table']);
  });
});
