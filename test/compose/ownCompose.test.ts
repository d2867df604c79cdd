import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { makeShop, SHOP_COMPOSE } from './fixtures';

/**
 * Issue 23, point 2: a folder's own compose file is what `axi setup DIR` uses, as `--from` does, and it
 * says so; the AegisX stack where the folder has none or it is asked for; a folder where both are
 * plausible is refused with both ways out. Registration only: no engine needed.
 */
describe('a project’s own compose file is used', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, DOCKER_HOST: 'unix:///nonexistent.sock' };
  after(() => sb.cleanup());

  test('setup DIR with a docker-compose.yml uses it and says so in one line', async () => {
    const dir = sb.folder('cafe');
    writeFileSync(path.join(dir, 'docker-compose.yml'), SHOP_COMPOSE(38180, 35540, 'cafe'));
    const r = await runAxi(['setup', dir], { env });
    assert.equal(r.code, 0, r.stderr);
    const using = r.stdout.split('\n').filter((l) => l.includes('using '));
    assert.deepEqual(using, [
      '  using docker-compose.yml (2 services: web, db); for the AegisX stack instead: --template aegisx',
    ]);
    const list = await runAxiJson(['list', '--json'], { env });
    const cafe = list.json.find((i: { folder: string }) => i.folder === dir);
    assert.deepEqual(Object.keys(cafe.ports).sort(), ['db', 'web']);
    assert.match(
      readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8'),
      /Instance \S+ of docker-compose\.yml/,
    );
  });

  test('compose.yaml with its override file: both, as docker compose reads them', async () => {
    const dir = sb.folder('bistro');
    writeFileSync(
      path.join(dir, 'compose.yaml'),
      'services:\n  web:\n    image: nginx:alpine\n    ports: ["38280:80"]\n',
    );
    writeFileSync(
      path.join(dir, 'compose.override.yml'),
      'services:\n  cache:\n    image: redis:7-alpine\n    ports: ["36380:6379"]\n',
    );
    const r = await runAxiJson(['setup', dir], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.json.using, /^using compose\.yaml \+ compose\.override\.yml \(2 services: web, cache\)/);
    assert.deepEqual(Object.keys(r.json.ports).sort(), ['cache', 'web']);
  });

  test('setup says which prefix it used: the base name for its own compose file, aegisx for the AegisX stack', async () => {
    const own = sb.folder('tavern');
    // Ports of its own: a main checkout keeps its file's, and a later test here registers 38480.
    writeFileSync(path.join(own, 'docker-compose.yml'), SHOP_COMPOSE(38780, 36140, 'tavern'));
    const r = await runAxi(['setup', own], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}project tavern, prefix tavern \(the main checkout's Compose project name\)/m);
    const seed = await runAxiJson(['setup', sb.folder('aegisx-starter-px')], { env: { ...env, AXI_PREFIX: '' } });
    assert.equal(seed.code, 0, seed.stderr);
    assert.equal(seed.json.prefix, "prefix aegisx (the AegisX stack's)");
    assert.match(seed.json.project, /^aegisx_/);
  });

  test('--template aegisx chooses the AegisX stack over the folder’s compose file', async () => {
    const dir = sb.folder('aegisx-starter-chosen');
    writeFileSync(path.join(dir, 'docker-compose.yml'), SHOP_COMPOSE(38380, 35740, 'chosen'));
    const r = await runAxiJson(['setup', dir, '--template', 'aegisx'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.json.using, /^using the AegisX stack \(3 services: postgres, redis, pgadmin\)/);
    assert.deepEqual(Object.keys(r.json.ports), ['postgres', 'redis', 'api', 'web', 'admin', 'pgadmin']);
  });

  test('a folder without a compose file gets the AegisX stack, and setup says why', async () => {
    const r = await runAxiJson(['setup', sb.folder('aegisx-starter-plain')], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.json.using,
      'using the AegisX stack (3 services: postgres, redis, pgadmin): no compose file in the folder',
    );
  });

  test('a compose file beside the seed’s script or a config without source: is refused, naming both options; nothing written', async () => {
    const seed = sb.folder('aegisx-starter-both');
    mkdirSync(path.join(seed, 'scripts'));
    writeFileSync(path.join(seed, 'scripts', 'setup-env.sh'), '#!/bin/sh\n');
    writeFileSync(path.join(seed, 'docker-compose.yml'), SHOP_COMPOSE(38480, 35840, 'both'));
    const configured = sb.folder('deli');
    writeFileSync(path.join(configured, '.aegisx-instances.yml'), 'slots: 50\n');
    writeFileSync(path.join(configured, 'compose.yml'), SHOP_COMPOSE(38580, 35940, 'deli'));
    for (const [dir, sign] of [
      [seed, 'scripts/setup-env.sh'],
      [configured, '.aegisx-instances.yml (without source:)'],
    ] as const) {
      const r = await runAxi(['setup', dir], { env });
      assert.equal(r.code, 2, r.stdout);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.ok(lines[0]!.includes(sign), lines[0]);
      assert.match(lines[0]!, /--from (docker-compose|compose)\.yml \(its own compose file\) or --template aegisx/);
      assert.equal(existsSync(path.join(dir, 'docker-compose.instance.yml')), false);
      assert.equal(existsSync(path.join(dir, '.env.local')), false);
    }
    const list = await runAxiJson(['list', '--json'], { env });
    assert.equal(list.json.filter((i: { folder: string }) => i.folder === seed || i.folder === configured).length, 0);
    const chosen = await runAxiJson(['setup', seed, '--from', 'docker-compose.yml'], { env });
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.match(chosen.json.using, /^using docker-compose\.yml \(2 services/);
  });

  test('existing registrations keep their stack; a worktree follows its main checkout’s', async () => {
    // The main checkout registered with the AegisX stack (as before this change, or by choice).
    const { main, worktree } = makeShop(path.join(sb.dir, 'repo'), 38680, 36040, 'aegisx-starter', false);
    const before = await runAxiJson(['setup', main, '--template', 'aegisx'], { env });
    assert.equal(before.code, 0, before.stderr);
    const again = await runAxiJson(['setup', main], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(again.json.ports, before.json.ports);
    assert.match(again.json.using, /^using the AegisX stack/);
    const wt = await runAxiJson(['setup', worktree], { env });
    assert.equal(wt.code, 0, wt.stderr);
    assert.match(wt.json.using, new RegExp(`^using the AegisX stack .*: as its main checkout ${main}$`));
    assert.deepEqual(Object.keys(wt.json.ports), ['postgres', 'redis', 'api', 'web', 'admin', 'pgadmin']);
  });
});
