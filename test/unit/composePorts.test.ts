import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { interpolate, parsePort, portPlan } from '../../main/core/compose/composePorts';
import { portEntries } from '../../main/shared/display/portText';
import { AxiError } from '../../main/shared/errors';

describe('interpolate: Compose variable syntax', () => {
  const env = { PORT: '8080', EMPTY: '', HOST: 'db' };

  test('bare and braced names; unset is empty; $$ is a literal dollar', () => {
    assert.equal(interpolate('$HOST:${PORT}', env), 'db:8080');
    assert.equal(interpolate('x${NOPE}y$NOPE', env), 'xy');
    assert.equal(interpolate('cost $$5 and $$HOST', env), 'cost $5 and $HOST');
  });

  test('defaults: ":-" also replaces an empty value, "-" only an unset one', () => {
    assert.equal(interpolate('${PORT:-1}', env), '8080');
    assert.equal(interpolate('${EMPTY:-1}', env), '1');
    assert.equal(interpolate('${EMPTY-1}', env), '');
    assert.equal(interpolate('${NOPE-1}', env), '1');
    assert.equal(interpolate('${NOPE:-}', env), '');
  });

  test('alternatives: ":+" when non-empty, "+" when set', () => {
    assert.equal(interpolate('${PORT:+on}', env), 'on');
    assert.equal(interpolate('${EMPTY:+on}', env), '');
    assert.equal(interpolate('${EMPTY+on}', env), 'on');
    assert.equal(interpolate('${NOPE+on}', env), '');
  });

  test('required: ":?" refuses empty and unset, "?" only unset; the message names the variable', () => {
    assert.equal(interpolate('${PORT:?need it}', env), '8080');
    assert.equal(interpolate('${EMPTY?need it}', env), '');
    assert.throws(
      () => interpolate('${EMPTY:?set the port}', env),
      (e: unknown) =>
        e instanceof AxiError &&
        e.code === 'BAD_INPUT' &&
        e.message === 'required variable EMPTY is not set: set the port (set it in the environment or .env)',
    );
    assert.throws(() => interpolate('${NOPE?}', env), /^AxiError: required variable NOPE is not set \(set it/);
  });

  test('a default is taken literally, not interpolated again', () => {
    assert.equal(interpolate('${NOPE:-$HOST}', env), '$HOST');
  });
});

describe('parsePort: short and long syntax', () => {
  const p = (spec: unknown, env: Record<string, string | undefined> = {}) => parsePort(spec, 'web', env);

  test('CONTAINER only: nothing published (Compose picks a port)', () => {
    assert.deepEqual(p('80'), { hostIp: undefined, published: undefined, target: '80' });
    assert.deepEqual(p(5432), { hostIp: undefined, published: undefined, target: '5432' });
  });

  test('HOST:CONTAINER, with a protocol, with an IP, with an IPv6 IP in brackets', () => {
    assert.deepEqual(p('8080:80'), { hostIp: undefined, published: 8080, target: '80' });
    assert.deepEqual(p('53:53/udp'), { hostIp: undefined, published: 53, target: '53/udp' });
    assert.deepEqual(p('127.0.0.1:8080:80'), { hostIp: '127.0.0.1', published: 8080, target: '80' });
    assert.deepEqual(p('[::1]:8080:80'), { hostIp: '::1', published: 8080, target: '80' });
  });

  test('an empty IP is "all addresses" (no IP of its own); an empty host port publishes none', () => {
    assert.deepEqual(p(':8080:80'), { hostIp: undefined, published: 8080, target: '80' });
    assert.deepEqual(p('127.0.0.1::80'), { hostIp: '127.0.0.1', published: undefined, target: '80' });
  });

  test('variables are read first', () => {
    assert.deepEqual(p('${WEB_PORT:-3000}:3000'), { hostIp: undefined, published: 3000, target: '3000' });
    assert.deepEqual(p('${WEB_PORT:-3000}:3000', { WEB_PORT: '4100' }), {
      hostIp: undefined,
      published: 4100,
      target: '3000',
    });
  });

  test('ranges are flagged, with their host part', () => {
    assert.deepEqual(p('50100-50200:50100-50200/udp'), {
      hostIp: undefined,
      target: '50100-50200/udp',
      range: true,
      rangeHost: '50100-50200',
    });
    assert.deepEqual(p('9000-9002'), { hostIp: undefined, target: '9000-9002', range: true, rangeHost: undefined });
  });

  test('long syntax: published may be a string or a variable; protocol other than tcp is kept on the target', () => {
    assert.deepEqual(p({ target: 5432, published: 5433, host_ip: '127.0.0.1' }), {
      hostIp: '127.0.0.1',
      published: 5433,
      target: '5432',
    });
    assert.deepEqual(p({ target: 53, published: '${DNS:-5353}', protocol: 'udp' }), {
      hostIp: undefined,
      published: 5353,
      target: '53/udp',
    });
    assert.deepEqual(p({ target: 80, protocol: 'tcp' }), { hostIp: undefined, published: undefined, target: '80' });
    assert.deepEqual(p({ target: 80, published: '' }), { hostIp: undefined, published: undefined, target: '80' });
    assert.deepEqual(p({ target: 6000, published: '6000-6005' }), {
      hostIp: undefined,
      target: '6000',
      range: true,
      rangeHost: '6000-6005',
    });
  });

  test('what is no port is refused, naming the service and the text after interpolation', () => {
    assert.throws(
      () => parsePort('80:http', 'api', {}),
      (e: unknown) =>
        e instanceof AxiError && e.code === 'BAD_INPUT' && e.message === 'service api: cannot read port "80:http"',
    );
    assert.throws(() => parsePort('${P}:80x', 'api', { P: '1' }), /cannot read port "1:80x"/);
  });
});

describe('portPlan: one host port published over TCP and UDP', () => {
  const doc = {
    services: {
      turn: { ports: ['3478:3478', '3478:3478/udp', '127.0.0.1:5349:5349'] },
      dns: { ports: ['53:53/udp', { target: 53, published: 53, protocol: 'tcp' }] },
      relay: { ports: ['10000-10010:10000-10010', '10000-10010:10000-10010/udp'] },
      media: { ports: ['50100-50200:50100-50200/udp'] },
      web: { ports: ['127.0.0.1:8080:80', '[::1]:8080:80'] },
    },
  };

  test('the twin is one key, recorded as tcp+udp whichever entry comes first; ranges likewise', () => {
    const { ports, byNumber } = portPlan(doc);
    const by = Object.fromEntries(ports.map((p) => [p.key, p]));
    assert.deepEqual(Object.keys(by), ['turn', 'turn:5349', 'dns', 'relay', 'media', 'web']);
    assert.equal(by.turn!.protocols, 'tcp+udp');
    assert.equal(by.dns!.protocols, 'tcp+udp', 'the UDP entry first: still both');
    assert.equal(by.relay!.protocols, 'tcp+udp');
    assert.equal(by.relay!.span, 11);
    // One protocol, however many entries: nothing more said (UDP alone stays in its target).
    for (const k of ['turn:5349', 'media', 'web']) assert.equal(by[k]!.protocols, undefined, k);
    assert.equal(byNumber.get(3478), 'turn');
  });

  test('shown as one entry: `3577/tcp+udp`, a range `10100-10110/tcp+udp`; UDP alone keeps `/udp`', () => {
    const shown = portEntries({
      ports: { turn: 3577, relay: 10100, media: 50403, web: 8081 },
      spans: { relay: 11, media: 101 },
      protocols: { turn: 'tcp+udp', relay: 'tcp+udp', media: 'udp' },
    });
    assert.deepEqual(shown, [
      ['turn', '3577/tcp+udp'],
      ['relay', '10100-10110/tcp+udp'],
      ['media', '50403-50503/udp'],
      ['web', '8081'],
    ]);
  });
});
