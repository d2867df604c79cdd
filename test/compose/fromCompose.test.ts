import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { makeShop } from './fixtures';

function composeConfig(dir: string, project: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      'docker-compose',
      ['-f', 'docker-compose.instance.yml', '-p', project, 'config'],
      { cwd: dir },
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr }),
    );
  });
}

describe("instances of any Compose project, from the project's own file", () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  const { main, worktree } = makeShop(path.join(sb.dir, 'work'), 18080, 15440);

  test('a worktree belongs to its main worktree: shop-feature-x has suffix feature-x; the main keeps its ports', async () => {
    const m = await runAxiJson(['setup', main], { env: sb.env });
    assert.equal(m.code, 0, m.stderr);
    assert.equal(m.json.main, true);
    assert.equal(m.json.project, 'shop');
    assert.deepEqual(m.json.ports, { web: 18080, db: 15440 });
    const w = await runAxiJson(['setup', worktree], { env: sb.env });
    assert.equal(w.code, 0, w.stderr);
    assert.equal(w.json.name, 'feature_x');
    assert.equal(w.json.project, 'shop_feature_x');
    assert.notEqual(w.json.ports.web, 18080);
    assert.notEqual(w.json.ports.db, 15440);
  });

  test('the instance file: own ports (host IP and container ports kept), unique names, per-instance volumes, paths that resolve', async () => {
    const w = (await runAxiJson(['list'], { env: sb.env })).json.find((i: { name: string }) => i.name === 'feature_x');
    const doc = parse(readFileSync(path.join(worktree, 'docker-compose.instance.yml'), 'utf8'));
    // Published on loopback unless the file says otherwise (a plain long entry becomes the short form).
    assert.deepEqual(doc.services.web.ports, [`127.0.0.1:${w.ports.web}:80`]);
    assert.deepEqual(doc.services.db.ports, [`127.0.0.1:${w.ports.db}:5432`]);
    assert.equal(doc.services.web.container_name, 'shop-web_feature_x');
    assert.equal(doc.services.db.container_name, 'shop-db_feature_x');
    // Per-instance names, and this registry's ownership labels (issue 32: cleanup deletes only its own).
    assert.deepEqual(Object.fromEntries(Object.entries(doc.volumes).map(([k, v]: [string, any]) => [k, v.name])), {
      site: 'shop_feature_x_site',
      dbdata: 'shop_feature_x_dbdata',
    });
    for (const v of Object.values<any>(doc.volumes))
      assert.ok(v.labels?.['dev.aegisx-instances.registry'], JSON.stringify(v));
    assert.ok(doc.services.web.volumes.includes('./static:/srv/static:ro'));
    assert.equal(doc.services.web.labels['dev.aegisx-instances.instance'], 'feature_x');
    assert.equal(doc.services.web.labels['dev.aegisx-instances.namespace'], 'aegisx');
    const env = readFileSync(path.join(worktree, '.env.local'), 'utf8');
    assert.match(env, new RegExp(`^WEB_PORT=${w.ports.web}$`, 'm'));
    assert.match(env, new RegExp(`^DB_PORT=${w.ports.db}$`, 'm'));
    assert.match(env, /^COMPOSE_PROJECT_NAME=shop_feature_x$/m);
    const cfg = await composeConfig(worktree, 'shop_feature_x');
    assert.equal(cfg.code, 0, cfg.out);
    assert.match(cfg.out, new RegExp(`${path.join(worktree, 'static')}`));
    const mainDoc = parse(readFileSync(path.join(main, 'docker-compose.instance.yml'), 'utf8'));
    assert.equal(mainDoc.services.web.container_name, 'shop-web');
    assert.deepEqual(mainDoc.services.web.ports, ['127.0.0.1:18080:80']);
  });

  test('axi setup DIR --from FILE without a config file; relative paths from a subfolder still resolve', async () => {
    const dir = path.join(sb.dir, 'work', 'other-app-copy');
    mkdirSync(path.join(dir, 'deploy', 'conf'), { recursive: true });
    writeFileSync(path.join(dir, 'deploy', 'conf', 'app.env'), 'A=1\n');
    writeFileSync(
      path.join(dir, 'deploy', 'compose.yml'),
      'services:\n  app:\n    image: nginx:alpine\n    env_file: ./conf/app.env\n    ports: ["${APP_PORT:-18900}:80", "18943:443", "9000"]\n    volumes: ["./conf:/etc/conf"]\n',
    );
    const r = await runAxiJson(['setup', dir, '--from', 'deploy/compose.yml'], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(Object.keys(r.json.ports), ['app', 'app:443']);
    const doc = parse(readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8'));
    assert.equal(doc.services.app.env_file, './deploy/conf/app.env');
    assert.deepEqual(doc.services.app.volumes, ['./deploy/conf:/etc/conf']);
    assert.deepEqual(doc.services.app.ports, [
      `127.0.0.1:${r.json.ports.app}:80`,
      `127.0.0.1:${r.json.ports['app:443']}:443`,
      '127.0.0.1::9000',
    ]);
    assert.match(readFileSync(path.join(dir, '.env.local'), 'utf8'), /^APP_PORT_443=\d+$/m);
    assert.equal((await composeConfig(dir, r.json.project)).code, 0);
  });

  test('a bad config names the file, the key and what is wrong', async () => {
    const dir = path.join(sb.dir, 'work', 'badcfg-x');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, '.aegisx-instances.yml'), 'prefix: Shop!\n');
    const r = await runAxi(['setup', dir], { env: sb.env });
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `axi: ${path.join(dir, '.aegisx-instances.yml')}: key prefix: use 1-16 of a-z and 0-9, starting with a letter\n`,
    );
    writeFileSync(path.join(dir, '.aegisx-instances.yml'), 'source: compose\n');
    assert.match((await runAxi(['setup', dir], { env: sb.env })).stderr, /key from: required when source is compose/);
    writeFileSync(path.join(dir, '.aegisx-instances.yml'), 'slots: many\n');
    assert.match((await runAxi(['setup', dir], { env: sb.env })).stderr, /key slots: Invalid type/);
    writeFileSync(path.join(dir, '.aegisx-instances.yml'), 'from: nope.yml\n');
    assert.match((await runAxi(['setup', dir], { env: sb.env })).stderr, /compose file not found: .*nope\.yml/);
    writeFileSync(path.join(dir, '.aegisx-instances.yml'), 'frm: docker-compose.yml\n');
    assert.match((await runAxi(['setup', dir], { env: sb.env })).stderr, /key frm: /);
  });

  test('discover lists the worktrees with branch, state and ports; a removed worktree shows as gone', async () => {
    const extra = path.join(sb.dir, 'work', 'shop-spike');
    await new Promise((r) => execFile('git', ['-C', main, 'worktree', 'add', '-q', '-b', 'spike', extra], r));
    const d = await runAxiJson(['discover', main], { env: sb.env });
    assert.equal(d.code, 0, d.stderr);
    const byPath = new Map<string, any>(d.json.map((w: { path: string }) => [w.path, w]));
    assert.deepEqual(
      [byPath.get(main).state, byPath.get(main).branch, byPath.get(main).main],
      ['registered', 'main', true],
    );
    assert.deepEqual(
      [byPath.get(worktree).state, byPath.get(worktree).branch, byPath.get(worktree).name],
      ['registered', 'feature-x', 'feature_x'],
    );
    const spike = byPath.get(extra);
    assert.deepEqual([spike.state, spike.branch, spike.name], ['unregistered', 'spike', 'spike']);
    assert.equal(Object.keys(spike.ports).length, 2);
    // No --force: git ignores axi's files through info/exclude, so the worktree is clean.
    const removed = await new Promise<Error | null>((r) =>
      execFile('git', ['-C', main, 'worktree', 'remove', worktree], r),
    );
    assert.equal(removed, null);
    const after = (await runAxiJson(['discover', main], { env: sb.env })).json;
    assert.equal(after.find((w: { name: string }) => w.name === 'feature_x').state, 'gone');
    const human = await runAxi(['discover', main], { env: sb.env });
    assert.match(human.stdout, /Gone \(worktree removed\): feature_x; forget with axi cleanup/);
  });
});
