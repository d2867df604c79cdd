import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { setupController } from '../../main/api/controller/controller';
import { createBackend } from '../../main/docker/lifecycle/backend';
import { ROOT, runAxi, runAxiJson, sandbox } from '../helpers';
import { makeShop, SHOP_COMPOSE } from '../compose/fixtures';

const PORT_MANAGER = path.join(ROOT, 'test', 'fixtures', 'port-manager.sh');

function portManager(registry: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [PORT_MANAGER, ...args],
      { env: { ...process.env, AEGISX_PORT_REGISTRY: registry } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const AMBIGUOUS =
  /^axi: instance name feature_x is registered in more than one repository: blog\/feature_x, shop\/feature_x; name one as repo\/name\n$/;

describe('instance names are unique per repository', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  // No engine: whatever needs one exits 3, so a command that resolved its NAME shows it by getting that far.
  const env = { ...sb.env, DOCKER_HOST: 'unix:///nonexistent.sock' };
  const work = path.join(sb.dir, 'work');
  const shop = makeShop(work, 18080, 15440, 'shop', false);
  const blog = makeShop(work, 28080, 25440, 'blog', false);

  test('two repositories each register a feature_x worktree --from their compose file: distinct projects, ports and Docker names', async () => {
    const s = await runAxiJson(['setup', shop.worktree, '--from', 'docker-compose.yml'], { env });
    assert.equal(s.code, 0, s.stderr);
    const b = await runAxiJson(['setup', blog.worktree, '--from', 'docker-compose.yml'], { env });
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual([s.json.name, s.json.id, s.json.project], ['feature_x', 'shop/feature_x', 'shop_feature_x']);
    assert.deepEqual([b.json.name, b.json.id, b.json.project], ['feature_x', 'blog/feature_x', 'blog_feature_x']);
    assert.ok(
      b.json.notes.includes('feature_x is also registered as shop/feature_x: name this one blog/feature_x'),
      b.json.notes.join('\n'),
    );
    const ports = [...Object.values(s.json.ports), ...Object.values(b.json.ports)];
    assert.equal(new Set(ports).size, ports.length, 'a port handed out twice');
    const docs = [shop.worktree, blog.worktree].map((d) =>
      parse(readFileSync(path.join(d, 'docker-compose.instance.yml'), 'utf8')),
    );
    assert.deepEqual(
      docs.map((d) => d.services.web.container_name),
      ['shop-web_feature_x', 'blog-web_feature_x'],
    );
    assert.deepEqual(
      docs.map((d) => d.volumes.dbdata.name),
      ['shop_feature_x_dbdata', 'blog_feature_x_dbdata'],
    );
    // Setting one up again keeps it: its own name in its own repository is no clash.
    const again = await runAxiJson(['setup', shop.worktree], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual([again.json.id, again.json.allocated, again.json.ports], ['shop/feature_x', false, s.json.ports]);
  });

  test("a compose file that names a container or volume the same as another repository's is refused under the same name", async () => {
    // cafe's file names its containers as shop's does: both would make shop-web_feature_x.
    const cafe = makeShop(work, 38080, 35440, 'cafe', false);
    writeFileSync(path.join(cafe.worktree, 'docker-compose.yml'), SHOP_COMPOSE(38080, 35440, 'shop'));
    const c = await runAxi(['setup', cafe.worktree, '--from', 'docker-compose.yml'], { env });
    assert.equal(c.code, 2, c.stderr);
    assert.match(
      c.stderr,
      /^axi: cafe\/feature_x would share the container shop-web_feature_x with shop\/feature_x \(.*shop-feature-x\): both compose files name it; pass --name to tell them apart\n$/,
    );
    // Two files giving a volume the same own name would share its data: refused too.
    const pgdata = (tag: string, web: number, db: number) =>
      SHOP_COMPOSE(web, db, tag).replace('  dbdata: {}', '  dbdata:\n    name: pgdata');
    writeFileSync(path.join(cafe.worktree, 'docker-compose.yml'), pgdata('cafe', 38080, 35440));
    assert.equal((await runAxi(['setup', cafe.worktree, '--from', 'docker-compose.yml'], { env })).code, 0);
    const deli = makeShop(work, 48080, 45440, 'deli', false);
    writeFileSync(path.join(deli.worktree, 'docker-compose.yml'), pgdata('deli', 48080, 45440));
    const d = await runAxi(['setup', deli.worktree, '--from', 'docker-compose.yml'], { env });
    assert.equal(d.code, 2, d.stderr);
    assert.match(d.stderr, /would share the volume pgdata_feature_x with cafe\/feature_x/);
    assert.equal(
      (await runAxi(['remove', 'cafe/feature_x', '--keep-containers'], { env })).code,
      0,
      'the rest of this suite has two feature_x',
    );
    const ids = ((await runAxiJson(['list'], { env })).json as { id: string }[]).map((i) => i.id);
    assert.deepEqual(ids, ['blog/feature_x', 'shop/feature_x']);
  });

  test('a bare name two repositories have is refused with exit 2, naming both as repo/name, before any engine is asked', async () => {
    for (const args of [
      ['status', 'feature_x'],
      ['up', 'feature_x'],
      ['stop', 'feature_x'],
      ['down', 'feature_x'],
      ['reset', 'feature_x', '--yes'],
      ['restore', 'feature_x', '--yes'],
      ['snapshots', 'feature_x'],
      ['logs', 'feature_x'],
      ['remove', 'feature_x', '--keep-containers'],
    ]) {
      const r = await runAxi(args, { env });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, AMBIGUOUS, args.join(' '));
    }
    assert.equal((await runAxiJson(['list'], { env })).json.length, 2, 'nothing was removed');
  });

  test('repo/name picks one: it reaches the engine (exit 3) or works without one; an unknown repo is not found', async () => {
    const status = await runAxi(['status', 'shop/feature_x'], { env });
    assert.equal(status.code, 3, status.stderr);
    assert.match(status.stderr, /^axi: no Docker engine answered; looked at unix:\/\/\/nonexistent\.sock/);
    const snaps = await runAxi(['snapshots', 'blog/feature_x'], { env });
    assert.deepEqual([snaps.code, snaps.stdout], [0, 'No snapshots yet (axi reset takes one first).\n']);
    // The repository's own name works too (here the same as its prefix), and so does the folder.
    assert.equal((await runAxi(['up', blog.worktree], { env })).code, 3);
    const unknown = await runAxi(['status', 'nope/feature_x'], { env });
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /^axi: no registered instance named or in "nope\/feature_x"; did you mean (shop|blog)\/feature_x or (shop|blog)\/feature_x\? \(see axi list\)\n$/,
    );
  });

  test('list shows repo/name where a name is ambiguous and bare names elsewhere; --json has name and id', async () => {
    const auth = await runAxiJson(['setup', sb.folder('aegisx-starter-auth')], { env });
    assert.equal(auth.code, 0, auth.stderr);
    const table = await runAxi(['list'], { env });
    assert.equal(table.code, 0, table.stderr);
    const names = table.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[0]);
    assert.deepEqual(names, ['auth', 'blog/feature_x', 'shop/feature_x']);
    const json = (await runAxiJson(['list'], { env })).json as { name: string; id: string; project: string }[];
    assert.deepEqual(
      json.map((i) => [i.name, i.id, i.project]),
      [
        ['auth', 'aegisx/auth', 'aegisx_auth'],
        ['feature_x', 'blog/feature_x', 'blog_feature_x'],
        ['feature_x', 'shop/feature_x', 'shop_feature_x'],
      ],
    );
  });

  test('the AegisX stack keeps bare names unique across repositories (its projects are all aegisx_<name>)', async () => {
    const other = sb.folder('other-app-auth'); // base other-app, suffix auth
    const r = await runAxi(['setup', other], { env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^axi: instance name auth is already registered for .*aegisx-starter-auth; .*--name\n$/);
    // Its own feature_x lives beside the two --from ones: another project (aegisx_feature_x).
    const x = await runAxiJson(['setup', sb.folder('aegisx-starter-feature-x')], { env });
    assert.equal(x.code, 0, x.stderr);
    assert.deepEqual([x.json.id, x.json.project], ['aegisx/feature_x', 'aegisx_feature_x']);
    const a = await runAxi(['status', 'feature_x'], { env });
    assert.equal(a.code, 2);
    assert.match(a.stderr, /more than one repository: aegisx\/feature_x, blog\/feature_x, shop\/feature_x;/);
    assert.equal((await runAxi(['status', 'aegisx/feature_x'], { env })).code, 3);
    assert.equal(
      (await runAxi(['status', 'aegisx-starter/feature_x'], { env })).code,
      3,
      'the repository base name qualifies too',
    );
  });

  test('a template keeps bare names unique too, even under its own prefix: its volumes are <name>_<service>_data', async () => {
    const other = sb.folder('other-app-auth');
    mkdirSync(path.join(other, 'templates'));
    writeFileSync(path.join(other, '.aegisx-instances.yml'), 'prefix: other\n');
    writeFileSync(
      path.join(other, 'templates', 't.yml'),
      'services:\n  db:\n    image: postgres:15-alpine\n    volumes: ["{{volumes.postgres}}:/data"]\nvolumes:\n  {{volumes.postgres}}:\n    name: {{volumes.postgres}}\n',
    );
    const r = await runAxi(['setup', other, '--template', 't'], { env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^axi: instance name auth is already registered for .*aegisx-starter-auth;/);
    const named = await runAxiJson(['setup', other, '--template', 't', '--name', 'auth2'], { env });
    assert.equal(named.code, 0, named.stderr);
    assert.deepEqual([named.json.id, named.json.project], ['aegisx/auth2', 'other_auth2']);
    assert.match(readFileSync(path.join(other, 'docker-compose.instance.yml'), 'utf8'), /name: auth2_postgres_data/);
    assert.equal((await runAxi(['remove', 'auth2', '--keep-containers'], { env })).code, 0);
  });

  test("the seed's registry file keeps one line per instance, readable by port-manager.sh; axi reads its own lines back", async () => {
    const lines = readFileSync(sb.env.AXI_PORT_REGISTRY!, 'utf8').trim().split('\n');
    const first = lines.map((l) => l.split(':')[0]);
    // The AegisX stack's keeps the bare name (the seed's scripts make its container names from it).
    assert.deepEqual(first.sort(), ['auth', 'blog/feature_x', 'feature_x', 'shop/feature_x']);
    assert.match(
      lines.find((l) => l.startsWith('feature_x:'))!,
      /^feature_x(:\d+){6}:\d{4}-\d\d-\d\d_\d\d:\d\d$/,
    );
    const list = await portManager(sb.env.AXI_PORT_REGISTRY!, 'list');
    assert.equal(list.code, 0, list.stderr);
    const rows = list.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[0]);
    assert.deepEqual(rows.sort(), ['auth', 'blog/feature_x', 'feature_x', 'shop/feature_x']);
    const conflicts = await portManager(sb.env.AXI_PORT_REGISTRY!, 'conflicts');
    assert.deepEqual([conflicts.code, conflicts.stdout], [0, 'No conflicts\n']);
    // Our qualified lines are ours, not reservations of somebody else's: no registry conflict, nothing unreadable.
    const c = await runAxiJson(['check-conflicts'], { env });
    assert.deepEqual(
      c.json.conflicts.filter((x: { kind: string }) => x.kind === 'registry'),
      [],
    );
    assert.deepEqual(c.json.unreadableLines, []);
  });

  test('remove shop/feature_x forgets that one only; the bare name then means the remaining ones', async () => {
    const r = await runAxi(['remove', 'shop/feature_x', '--keep-containers'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Removed shop/feature_x from the registry (files in ${shop.worktree} and volumes kept).\n`);
    const ids = ((await runAxiJson(['list'], { env })).json as { id: string }[]).map((i) => i.id);
    assert.deepEqual(ids, ['aegisx/auth', 'aegisx/feature_x', 'blog/feature_x']);
    assert.ok(!readFileSync(sb.env.AXI_PORT_REGISTRY!, 'utf8').includes('shop/feature_x'));
    assert.equal((await runAxi(['remove', 'aegisx/feature_x', '--keep-containers'], { env })).code, 0);
    assert.equal((await runAxi(['status', 'feature_x'], { env })).code, 3, 'one repository has it now');
    assert.match(readFileSync(sb.env.AXI_PORT_REGISTRY!, 'utf8'), /^feature_x:/m);
  });
});

describe('a registry written by the previous version (global names, no prefix recorded)', () => {
  test('loads, gets ids from its projects, and lets another repository use the same name', async () => {
    const sb = sandbox();
    try {
      const env = { ...sb.env, DOCKER_HOST: 'unix:///nonexistent.sock' };
      const folder = sb.folder('aegisx-starter-feature-x');
      const now = new Date().toISOString();
      const ports = { postgres: 5470, redis: 6418, api: 3371, web: 4237, admin: 4238, pgadmin: 5088 };
      const old = {
        name: 'feature_x',
        folder,
        folderName: 'aegisx-starter-feature-x',
        suffix: 'feature-x',
        main: false,
        project: 'aegisx_feature_x',
        preset: 'aegisx',
        slot: 37,
        ports,
        template: null,
        createdAt: now,
        updatedAt: now,
      };
      mkdirSync(sb.env.AXI_HOME!, { recursive: true });
      writeFileSync(
        path.join(sb.env.AXI_HOME!, 'instances.json'),
        JSON.stringify({ version: 1, instances: [old] }, null, 2),
      );
      writeFileSync(sb.env.AXI_PORT_REGISTRY!, `feature_x:${Object.values(ports).join(':')}:2025-09-13_09:15\n`);
      const list = await runAxiJson(['list'], { env });
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual(
        list.json.map((i: { name: string; id: string }) => [i.name, i.id]),
        [['feature_x', 'aegisx/feature_x']],
      );
      assert.equal((await runAxi(['status', 'feature_x'], { env })).code, 3);
      const shop = makeShop(path.join(sb.dir, 'work'), 18080, 15440, 'shop', false);
      const s = await runAxiJson(['setup', shop.worktree, '--from', 'docker-compose.yml'], { env });
      assert.equal(s.code, 0, s.stderr);
      assert.equal(s.json.id, 'shop/feature_x');
      const c = await runAxiJson(['check-conflicts'], { env });
      assert.deepEqual(
        c.json.conflicts.filter((x: { kind: string }) => x.kind === 'registry'),
        [],
      );
      assert.deepEqual(
        readFileSync(sb.env.AXI_PORT_REGISTRY!, 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split(':')[0]),
        ['feature_x', 'shop/feature_x'],
      );
    } finally {
      sb.cleanup();
    }
  });
});

describe('the window names instances by id, and shows repo/name where a name is ambiguous', () => {
  test('the API accepts repo/name, refuses an ambiguous bare name, and the overview carries id and label', async () => {
    const sb = sandbox();
    const backend = createBackend({
      paths: sb.service().paths,
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' },
      pingTimeoutMs: 200,
    });
    const controller = setupController({ backend });
    try {
      const work = path.join(sb.dir, 'work');
      for (const name of ['shop', 'blog']) {
        const { worktree } = makeShop(work, 18080, 15440, name, false);
        assert.equal(
          (await backend.service.setup(worktree, { from: ['docker-compose.yml'], env: {} })).id,
          `${name}/feature_x`,
        );
      }
      await backend.service.setup(sb.folder('aegisx-starter-auth'), { env: {} });
      const o = (await controller.invoke('getOverview', [])) as {
        ok: true;
        value: { instances: { name: string; id: string; label: string; folder: string }[] };
      };
      assert.deepEqual(
        o.value.instances.map((i) => [i.name, i.id, i.label]),
        [
          ['auth', 'aegisx/auth', 'auth'],
          ['feature_x', 'blog/feature_x', 'blog/feature_x'],
          ['feature_x', 'shop/feature_x', 'shop/feature_x'],
        ],
      );
      const ambiguous = await controller.invoke('reassignPorts', ['feature_x']);
      assert.equal(ambiguous.ok, false);
      assert.equal((ambiguous as { error: { code: string } }).error.code, 'AMBIGUOUS');
      const badRef = await controller.invoke('reassignPorts', ['a/b/feature_x']);
      assert.match((badRef as { error: { message: string } }).error.message, /not an instance name/);
      const before = o.value.instances.find((i) => i.id === 'shop/feature_x')!;
      const r = await controller.invoke('reassignPorts', ['shop/feature_x']);
      assert.equal(r.ok, true, JSON.stringify(r));
      const v = (r as { value: { id: string; label: string; folder: string } }).value;
      assert.deepEqual([v.id, v.label], ['shop/feature_x', 'shop/feature_x']);
      assert.equal(v.folder, before.folder);
      const confirmMismatch = await controller.invoke('resetInstance', [
        'shop/feature_x',
        { snapshot: true, confirm: 'feature_x' },
      ]);
      assert.match(
        (confirmMismatch as { error: { message: string } }).error.message,
        /pass confirm equal to the instance name \("shop\/feature_x"\)/,
      );
    } finally {
      controller.stop();
      sb.cleanup();
    }
  });
});
