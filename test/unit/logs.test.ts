import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogDemuxer } from '../../main/docker/compose/logs';

/** One frame of Docker's multiplexed stream: stream (1 stdout, 2 stderr), three zero bytes, big-endian length, payload. */
function frame(stream: 1 | 2, text: string | Buffer): Buffer {
  const body = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
}

function demux(tty: boolean) {
  const lines: string[] = [];
  return { lines, d: new LogDemuxer(tty, (l) => lines.push(l)) };
}

test('multiplexed: frames of stdout and stderr become lines, in order', () => {
  const { lines, d } = demux(false);
  d.push(Buffer.concat([frame(1, 'listening on 3000\n'), frame(2, 'warn: slow\nerror: boom\n')]));
  d.end();
  assert.deepEqual(lines, ['listening on 3000', 'warn: slow', 'error: boom']);
});

test('multiplexed: a header or payload cut across chunks waits for the rest', () => {
  const whole = Buffer.concat([frame(1, 'first line\n'), frame(1, 'second line\n')]);
  for (const cut of [3, 8, 12, 19, 20, 27]) {
    const { lines, d } = demux(false);
    d.push(whole.subarray(0, cut));
    d.push(whole.subarray(cut));
    d.end();
    assert.deepEqual(lines, ['first line', 'second line'], `cut at ${cut}`);
  }
});

test('a line written in pieces is one line; CRLF ends a line; the unterminated tail comes out at end()', () => {
  const { lines, d } = demux(false);
  d.push(frame(1, 'GET /health'));
  d.push(frame(1, ' 200\r\nready'));
  assert.deepEqual(lines, ['GET /health 200']);
  d.end();
  assert.deepEqual(lines, ['GET /health 200', 'ready']);
});

test('an empty line is kept; end() with nothing pending adds nothing', () => {
  const { lines, d } = demux(false);
  d.push(frame(1, 'a\n\nb\n'));
  d.end();
  d.end();
  assert.deepEqual(lines, ['a', '', 'b']);
});

test('TTY containers send raw text, no headers', () => {
  const { lines, d } = demux(true);
  d.push(Buffer.from('\x01\x00\x00\x00plain '));
  d.push(Buffer.from('text\nnext\n'));
  assert.deepEqual(lines, ['\x01\x00\x00\x00plain text', 'next']);
});

test('a UTF-8 character cut between chunks (TTY) or frames (multiplexed) stays whole', () => {
  const bytes = Buffer.from('Grüße ✓\n', 'utf8');
  const cut = bytes.indexOf(0xe2) + 1; // inside the three bytes of ✓
  const tty = demux(true);
  tty.d.push(bytes.subarray(0, cut));
  tty.d.push(bytes.subarray(cut));
  assert.deepEqual(tty.lines, ['Grüße ✓']);
  const mux = demux(false);
  mux.d.push(Buffer.concat([frame(1, bytes.subarray(0, cut)), frame(1, bytes.subarray(cut))]));
  assert.deepEqual(mux.lines, ['Grüße ✓']);
});
