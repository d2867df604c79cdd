import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { composeDownAll, exec, RUN } from '../docker/dockerHelpers';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { makeShop } from './fixtures';

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .on('error', reject);
  });
}

/**
 * `select 1` over TCP, as a user's client would, tried for up to 20 s: the project's own health check
 * (`pg_isready` on the unix socket) also answers while the entrypoint's first-start server runs, which listens on
 * no TCP address and is then restarted, so "healthy" may come a moment before TCP clients are served.
 */
async function dbReady(port: number): Promise<string> {
  const end = Date.now() + 20_000;
  for (;;) {
    const r = await exec('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-Atqc', 'select 1'], {
      ...process.env,
      PGPASSWORD: 'secret',
      PGCONNECT_TIMEOUT: '5',
    });
    if (r.stdout.trim() === '1' || Date.now() > end) return r.stdout.trim() || r.stderr.trim();
    await new Promise((res) => setTimeout(res, 250));
  }
}

describe('a non-AegisX project: main checkout and a worktree side by side on the real engine', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: 'axitest' };
  const tag = `shop${RUN}`;
  const { main, worktree } = makeShop(path.join(sb.dir, 'work'), 28080, 25440, tag);
  const inst: Record<string, { name: string; project: string; ports: Record<string, number> }> = {};

  after(async () => {
    await composeDownAll(
      Object.values(inst).map((i) => [
        i.project,
        path.join(i.name === 'feature_x' ? worktree : main, 'docker-compose.instance.yml'),
      ]),
    );
    sb.cleanup();
  });

  test('both up at once, healthy, with distinct ports, containers and volumes, each serving on its own port', async () => {
    for (const [key, dir] of [
      ['main', main],
      ['wt', worktree],
    ] as const) {
      const r = await runAxiJson(['setup', dir], { env });
      assert.equal(r.code, 0, r.stderr);
      inst[key] = r.json;
    }
    const ups = await Promise.all(Object.values(inst).map((i) => runAxiJson(['up', i.name, '--wait'], { env })));
    for (const u of ups) {
      assert.equal(u.code, 0, u.stderr);
      assert.equal(u.json.status, 'running');
      assert.equal(u.json.services.db.health, 'healthy');
    }
    const m = inst.main!;
    const w = inst.wt!;
    assert.deepEqual(m.ports, { web: 28080, db: 25440 });
    assert.notDeepEqual(w.ports, m.ports);
    for (const i of [m, w]) {
      const page = await get(i.ports.web!);
      assert.equal(page.status, 200);
      assert.match(page.body, /Welcome to nginx!/);
      assert.equal(await dbReady(i.ports.db!), '1');
    }
    const names = (await exec('docker', ['ps', '--format', '{{.Names}}'])).stdout.split('\n');
    for (const n of [`${tag}-web`, `${tag}-db`, `${tag}-web_feature_x`, `${tag}-db_feature_x`])
      assert.ok(names.includes(n), n);
    const vols = (await exec('docker', ['volume', 'ls', '--format', '{{.Name}}'])).stdout.split('\n');
    for (const v of [`${tag}_dbdata`, `${tag}_site`, 'shop_feature_x_dbdata', 'shop_feature_x_site'])
      assert.ok(vols.includes(v), v);
  });

  test('discover lists both', async () => {
    const d = await runAxiJson(['discover', worktree], { env });
    assert.deepEqual(
      d.json.map((x: { name: string; state: string; branch: string }) => [x.name, x.state, x.branch]),
      [
        [inst.main!.name, 'registered', 'main'],
        ['feature_x', 'registered', 'feature-x'],
      ],
    );
  });

  test('doctor: after the registry files are deleted it re-adopts both (only with --fix)', async () => {
    const before = (await runAxiJson(['list'], { env })).json;
    rmSync(path.join(sb.env.AXI_HOME!, 'instances.json'));
    rmSync(sb.env.AXI_PORT_REGISTRY!);
    const look = await runAxiJson(['doctor'], { env });
    assert.equal(look.code, 1);
    assert.deepEqual(
      look.json.findings.map((f: { kind: string; folder: string }) => [f.kind, f.folder]).sort(),
      [
        ['unregistered', main],
        ['unregistered', worktree],
      ].sort(),
    );
    assert.deepEqual((await runAxiJson(['list'], { env })).json, [], 'doctor without --fix changed the registry');

    const fix = await runAxiJson(['doctor', '--fix'], { env });
    assert.equal(fix.code, 0, JSON.stringify(fix.json));
    assert.equal(fix.json.fixed.length, 2);
    const after = (await runAxiJson(['list'], { env })).json;
    const strip = (l: { name: string; ports: object; status: string; project: string }[]) =>
      l.map((i) => [i.name, i.project, i.ports, i.status]);
    assert.deepEqual(strip(after), strip(before));
    assert.ok(after.every((i: { status: string }) => i.status === 'running'));
    const clean = await runAxi(['doctor'], { env });
    assert.equal(clean.code, 0);
    // Besides what each engine's storage can do (issue 27: `engine local: volumes on ext4 …`), no finding.
    assert.equal(clean.stdout.replace(/^engine .*\n/gm, ''), 'The registry matches the engine.\n');
  });
});
