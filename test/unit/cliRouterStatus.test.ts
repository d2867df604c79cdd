import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../main/cli/axi';
import type { Io } from '../../main/cli/command';
import type { Backend } from '../../main/docker/lifecycle/backend';
import { writeRouterState } from '../../main/core/routes/routerState';
import { memorySettings } from '../../main/shared/schemas/settings';
import { sandbox } from '../helpers';

const RESTART = /takes effect when the router restarts: restart axi serve, axi router or the app/;

/** `axi router tls on|off` changes the setting; a router that runs keeps what it started with until it restarts. */
test('router status and tls say when the running router serves otherwise than the TLS setting', async (t) => {
  const sb = sandbox();
  t.after(() => sb.cleanup());
  const service = sb.service();
  const backend = { service, settings: memorySettings({ routerPort: 7080 }) } as unknown as Backend;
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const io: Io = { out: (x) => out.push(x), err: () => {} };
    assert.equal(await main(argv, io, () => backend), 0, argv.join(' '));
    return out.join('\n');
  };
  const https = async () => (await run(['router', 'status'])).split('\n').find((l) => l.startsWith('HTTPS:'))!;

  // No router runs: the setting is all there is.
  assert.equal(await https(), 'HTTPS: off (axi router tls on)');
  await writeRouterState(service.paths.home, { pid: process.pid, port: 7080, tls: false, why: 'test', startedAt: '' });
  assert.equal(await https(), 'HTTPS: off (axi router tls on)');

  assert.match(await run(['router', 'tls', 'on']), RESTART);
  const on = await https();
  assert.match(on, /^HTTPS: on \(the running router serves HTTP only; /);
  assert.match(on, RESTART);
  const json = JSON.parse(await run(['router', 'status', '--json']));
  assert.deepEqual([json.tls, json.running.tls, json.tlsPending], [true, false, true]);

  // The router restarted with HTTPS: what it serves and the setting agree, no hint.
  await writeRouterState(service.paths.home, { pid: process.pid, port: 7080, tls: true, why: 'test', startedAt: '' });
  assert.doesNotMatch(await https(), RESTART);
  assert.match(await run(['router', 'tls', 'off']), /the running router still serves HTTPS; takes effect/);
  assert.match(await https(), /^HTTPS: off \(the running router still serves HTTPS; takes effect/);
});
