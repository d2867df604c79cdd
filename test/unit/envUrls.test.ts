import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../main/cli/axi';
import type { Io } from '../../main/cli/command';
import type { Backend } from '../../main/docker/lifecycle/backend';
import { writeRouterState } from '../../main/core/routes/routerState';
import { memorySettings } from '../../main/shared/schemas/settings';
import { sandbox } from '../helpers';

/** README: `eval "$(axi env)"` exports the same URLs `axi urls` prints, router names first where a router runs. */
test('axi env exports the URLs axi urls prints: the router names while a router runs, the port URLs without one', async (t) => {
  const sb = sandbox();
  t.after(() => sb.cleanup());
  const service = sb.service();
  const rec = await service.setup(sb.folder('aegisx-starter-fix-login'));
  const backend = {
    service,
    settings: memorySettings({ routerPort: 7080 }),
    lifecycle: { status: async () => ({ status: 'running' }) },
  } as unknown as Backend;
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const io: Io = { out: (x) => out.push(x), err: () => {} };
    assert.equal(await main(argv, io, () => backend), 0, argv.join(' '));
    return out.join('');
  };
  const agree = async () => {
    const urls = JSON.parse(await run(['urls', rec.name, '--json']));
    const env = JSON.parse(await run(['env', rec.name, '--json'])).variables;
    for (const [k, url] of Object.entries<string>(urls.urls)) assert.equal(env[k], urls.names[k] ?? url, k);
    for (const [k, url] of Object.entries<string>(urls.names)) assert.equal(env[k], url, k);
    assert.match(await run(['env', rec.name]), new RegExp(`^export WEB_URL=${env.WEB_URL}$`, 'm'));
    return env as Record<string, string>;
  };
  assert.match((await agree()).WEB_URL!, /^http:\/\/localhost:\d+$/);
  await writeRouterState(service.paths.home, { pid: process.pid, port: 7080, tls: false, why: 'test', startedAt: '' });
  const named = await agree();
  assert.match(named.WEB_URL!, /^http:\/\/[a-z0-9-]+\.[a-z0-9-]+\.localhost:7080$/);
  assert.equal(named.APP_URL, named.WEB_URL);
});
