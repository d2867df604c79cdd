import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { COMPOSE_PROJECT_NAME, DOCKER_CONTAINER_NAME, runAxi, runAxiJson, sandbox } from '../helpers';

describe('axi CLI', () => {
  const sb = sandbox();
  after(() => sb.cleanup());

  test('hostile and unusual folder names give valid Docker names or a clean refusal, and never reach a shell', async () => {
    const names = [
      'aegisx-starter-with space',
      'aegisx-starter-Ünïcödé',
      'aegisx-starter-CAPITALS',
      'aegisx-starter-dots.in.name',
      'aegisx-starter-$(touch PWNED)',
      'aegisx-starter-`touch PWNED2`',
      'aegisx-starter-a;touch PWNED3',
      'aegisx-starter-' + 'long'.repeat(50),
      'aegisx-starter-日本語',
      'aegisx-starter-...',
    ];
    const refused = new Set(['aegisx-starter-日本語', 'aegisx-starter-...']);
    const work = path.dirname(sb.folder('x'));
    for (const name of names) {
      const dir = sb.folder(name);
      // A git repository whose origin also carries shell metacharacters.
      execFileSync('git', ['init', '-q', dir]);
      execFileSync('git', ['-C', dir, 'remote', 'add', 'origin', 'https://example.invalid/team/aegisx-starter.git']);
      const r = await runAxi(['setup', dir, '--json'], { env: sb.env, cwd: work });
      if (refused.has(name)) {
        assert.equal(r.code, 2, `${name}: ${r.stdout}`);
        assert.equal(r.stderr.trim().split('\n').length, 1);
        assert.match(r.stderr, /^axi: folder suffix .* has no letters or digits/);
        assert.ok(!existsSync(path.join(dir, '.env.local')));
        continue;
      }
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      const json = JSON.parse(r.stdout);
      assert.match(json.name, /^[a-z0-9][a-z0-9_]{0,38}[a-z0-9]$/, name);
      assert.match(json.project, COMPOSE_PROJECT_NAME);
      const doc = parse(readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8'));
      for (const svc of Object.values<any>(doc.services)) assert.match(svc.container_name, DOCKER_CONTAINER_NAME);
      for (const vol of Object.keys(doc.volumes)) assert.match(vol, DOCKER_CONTAINER_NAME);
      const env = readFileSync(path.join(dir, '.env.local'), 'utf8');
      assert.ok(env.includes(`FOLDER_NAME=${/^[\w./:@+-]*$/.test(name) ? name : `'${name}'`}\n`), env);
    }
    const all = (await runAxiJson(['list'], { env: sb.env })).json as { name: string }[];
    assert.equal(new Set(all.map((i) => i.name)).size, names.length - refused.size);
    assert.ok(all.some((i) => i.name === 'unicode'));
    assert.ok(all.some((i) => i.name === 'capitals'));
    assert.ok(all.some((i) => i.name === 'touch_pwned'));
    const longName = all.find((i) => i.name.startsWith('longlong'))!.name;
    assert.equal(longName.length, 40);
    for (const d of [work, sb.dir, process.cwd()]) {
      assert.deepEqual(
        readdirSync(d).filter((f) => f.startsWith('PWNED')),
        [],
        `a shell ran a folder name in ${d}`,
      );
    }
  });

  test('FOLDER_NAME from the environment names the instance (the seed CI matrix)', async () => {
    const dir = sb.folder('checkout');
    const r = await runAxiJson(['setup', dir], { env: { ...sb.env, FOLDER_NAME: 'aegisx-starter-mobile-api' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.name, 'mobile_api');
  });

  test('two folders that map to one name: the second is refused, naming the first', async () => {
    await runAxi(['setup', sb.folder('aegisx-starter-dup-name')], { env: sb.env });
    const other = sb.folder('aegisx-starter-dup_name');
    const r = await runAxi(['setup', other], { env: sb.env });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^axi: instance name dup_name is already registered for .*aegisx-starter-dup-name; .*--name/,
    );
    const named = await runAxiJson(['setup', other, '--name', 'dup_name_2'], { env: sb.env });
    assert.equal(named.code, 0, named.stderr);
    assert.equal(named.json.name, 'dup_name_2');
    const badName = await runAxi(['setup', other, '--name', 'Bad Name'], { env: sb.env });
    assert.equal(badName.code, 2);
    assert.match(badName.stderr, /^axi: instance name "Bad Name" is not usable/);
  });

  test('bad usage exits 2 with one line; a missing folder is named', async () => {
    const unknown = await runAxi(['frobnicate'], { env: sb.env });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
    const missing = await runAxi(['setup', path.join(sb.dir, 'no-such-dir')], { env: sb.env });
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `axi: folder does not exist: ${path.join(sb.dir, 'no-such-dir')}\n`);
    const help = await runAxi(['--help'], { env: sb.env });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /check-conflicts/);
  });

  test('an empty registry: list says how to start, check-conflicts is clean', async () => {
    const empty = sandbox();
    try {
      const l = await runAxi(['list'], { env: empty.env });
      assert.equal(l.stdout, 'No instances registered yet. Register one with: axi setup DIR\n');
      assert.deepEqual((await runAxiJson(['list'], { env: empty.env })).json, []);
      const c = await runAxiJson(['check-conflicts'], { env: empty.env });
      assert.deepEqual([c.code, c.json], [0, { conflicts: [], unreadableLines: [] }]);
    } finally {
      empty.cleanup();
    }
  });

  test('a port registered twice (by the seed scripts) is a registry conflict', async () => {
    const s2 = sandbox();
    try {
      const r = await runAxiJson(['setup', s2.folder('aegisx-starter-twice')], { env: s2.env });
      const p = r.json.ports;
      const { writeFileSync, readFileSync: rf } = await import('node:fs');
      writeFileSync(
        s2.env.AXI_PORT_REGISTRY!,
        rf(s2.env.AXI_PORT_REGISTRY!, 'utf8') + `legacy:${p.postgres}:1:2:3:4:5:2025-09-13_09:15\n`,
      );
      const c = await runAxiJson(['check-conflicts'], { env: s2.env });
      assert.equal(c.code, 1);
      assert.deepEqual(c.json.conflicts, [
        {
          port: p.postgres,
          kind: 'registry',
          service: 'postgres',
          instances: ['twice', 'legacy'],
          registryLines: [{ name: 'legacy', line: 2 }],
        },
      ]);
    } finally {
      s2.cleanup();
    }
  });
});
