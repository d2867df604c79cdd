import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AXI_BIN, runAxi, runAxiJson, sandbox } from '../helpers';
import { composeDownAll, exec, psql, redisCommand, RUN } from './dockerHelpers';

type Copied = { key: string; from: string; to: string; entries: number; bytes: number };

/**
 * A data copy that reports success only with the data (issue 30), on the real engine: the helper image is one of
 * the instance's own, probed; a copy is verified (entries and bytes per volume) or the target is put back from
 * its snapshot; what a copy replaces is kept; reset, restore and clone-data --start end when Postgres answers.
 */
describe('a data copy that cannot report success without the data', () => {
  const sb = sandbox();
  const prefix = `axcv${RUN}`;
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: prefix };
  // No git: `main` is the registration of the same base name without a suffix.
  const main = { dir: sb.folder('aegisx-starter'), name: '', project: '', ports: {} as Record<string, number> };
  const tgt = {
    dir: sb.folder(`aegisx-starter-cvt${RUN}`),
    name: '',
    project: '',
    ports: {} as Record<string, number>,
  };
  const fresh = {
    dir: sb.folder(`aegisx-starter-cvn${RUN}`),
    name: '',
    project: '',
    ports: {} as Record<string, number>,
  };
  const bad = { notmp: `axitest-notmp:${RUN}`, nofind: `axitest-nofind:${RUN}`, nosh: `axitest-nosh:${RUN}` };
  const axi = (args: string[], extra: NodeJS.ProcessEnv = {}) => runAxi(args, { env: { ...env, ...extra } });
  const rows = (port: number) => psql(port, 'select string_agg(body, $$,$$ order by body) from notes');
  const ok = async (args: string[]) => {
    const r = await axi(args);
    assert.equal(r.code, 0, `axi ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const copyJson = async (args: string[]) => {
    const r = await runAxiJson(['clone-data', ...args, '--yes', '--json'], { env });
    assert.equal(r.code, 0, r.stderr);
    return r.json as { copied: Copied[]; snapshot: { id: string } | null };
  };
  const anonymousVolumes = async () =>
    new Set((await exec('docker', ['volume', 'ls', '-q'])).stdout.split('\n').filter((v) => /^[0-9a-f]{64}$/.test(v)));

  before(async () => {
    // Helper images that lack a writable /tmp, find, or a shell: built from the stand-ins, nothing pulled.
    const builds: [string, string][] = [
      [bad.notmp, 'FROM postgres:15-alpine\nRUN rm -rf /tmp\n'],
      [bad.nofind, 'FROM postgres:15-alpine\nRUN rm /usr/bin/find\n'],
      [bad.nosh, 'FROM scratch\nCOPY f /f\n'],
    ];
    // Each in its own context folder, so the three builds run at once (before the starts, as they always did).
    await Promise.all(
      builds.map(async ([tag, file], i) => {
        const dir = `/tmp/axi-cv${RUN}/${i}`;
        await exec('sh', ['-c', `mkdir -p ${dir} && : > ${dir}/f`]);
        await exec('sh', ['-c', `printf '${file.replace(/\n/g, '\\n')}' > ${dir}/Dockerfile`]);
        const b = await exec('docker', ['build', '-q', '--no-cache', '-t', tag, dir]);
        assert.equal(b.code, 0, b.stderr);
      }),
    );
    for (const inst of [main, tgt]) {
      const r = await runAxiJson(['setup', inst.dir], { env });
      assert.equal(r.code, 0, r.stderr);
      [inst.name, inst.project, inst.ports] = [r.json.name, r.json.project, r.json.ports];
      await ok(['up', inst.name, '--wait']);
      await psql(inst.ports.postgres!, `create table notes(body text); insert into notes values ($$${inst.name}$$)`);
    }
    assert.equal(await redisCommand(main.ports.redis!, 'SET', 'greeting', 'hello'), '+OK');
    await redisCommand(main.ports.redis!, 'SAVE');
    await ok(['stop', tgt.name]);
  });

  after(async () => {
    await composeDownAll(
      [main, tgt, fresh].filter((i) => i.project).map((i) => [i.project, `${i.dir}/docker-compose.instance.yml`]),
    );
    await exec('docker', ['rm', '-f', `axitest-writer-${RUN}`]);
    await exec('docker', ['rmi', ...Object.values(bad)]);
    await exec('rm', ['-rf', `/tmp/axi-cv${RUN}`]);
    sb.cleanup();
  });

  test('a helper image without /tmp, without find or without a shell is refused in one line, and the target keeps its data', async () => {
    const lacks = { [bad.notmp]: 'a writable /tmp', [bad.nofind]: 'find', [bad.nosh]: 'a shell' };
    for (const [image, what] of Object.entries(lacks)) {
      const r = await axi(['clone-data', main.name, tgt.name, '--yes'], { AXI_HELPER_IMAGE: image });
      assert.notEqual(r.code, 0, `${image} was used`);
      const lines = r.stderr.trim().split('\n');
      assert.match(lines[lines.length - 1]!, new RegExp(`${image} lacks ${what}`), r.stderr);
    }
    const snaps = await runAxiJson(['snapshots', tgt.name, '--json'], { env });
    assert.equal(snaps.json.length, 0, 'a refused copy keeps no snapshot either: nothing was touched');
    await ok(['up', tgt.name, '--wait']);
    assert.equal(await rows(tgt.ports.postgres!), tgt.name);
    await ok(['stop', tgt.name]);
  });

  test('copies after down and before a first start, with broken images newest on the engine: the data arrives, verified', async () => {
    const newest = (await exec('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n')[0];
    assert.ok(Object.values(bad).includes(newest!), `the first image listed is one of the broken ones: ${newest}`);
    await ok(['down', tgt.name]); // no container left: the image comes from its compose file
    const before = await anonymousVolumes();
    const c = await copyJson([main.name, tgt.name]);
    assert.deepEqual(c.copied.map((p) => p.key).sort(), ['postgres', 'redis']);
    for (const p of c.copied) assert.ok(p.entries > 0 && p.bytes > 0, JSON.stringify(p));
    assert.ok(c.snapshot, 'the volumes it replaced were kept');
    // The helpers ran postgres/redis stand-ins, which declare VOLUME: none of their anonymous volumes is left.
    // (The container deleting the old files after the copy removes itself: it may take a moment.)
    let left: string[] = [];
    for (let k = 0; k < 30; k++) {
      left = [...(await anonymousVolumes())].filter((v) => !before.has(v));
      if (!left.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.deepEqual(left, []);
    await ok(['up', tgt.name, '--wait']);
    assert.equal(await rows(tgt.ports.postgres!), main.name);
    assert.equal(await redisCommand(tgt.ports.redis!, 'GET', 'greeting'), 'hello');
    await ok(['stop', tgt.name]);

    const made = await runAxiJson(['setup', fresh.dir], { env });
    assert.equal(made.code, 0, made.stderr);
    [fresh.name, fresh.project, fresh.ports] = [made.json.name, made.json.project, made.json.ports];
    const first = await copyJson(['main', fresh.name]);
    assert.equal(first.snapshot, null, 'volumes made by the copy hold nothing to keep');
    assert.deepEqual(
      first.copied.map((p) => [p.key, p.entries, p.bytes]),
      c.copied.map((p) => [p.key, p.entries, p.bytes]),
    );
  });

  test('after remove, register_folder with dataFrom over the surviving volumes (MCP) keeps a snapshot of them', async () => {
    await ok(['up', fresh.name, '--wait']);
    await psql(fresh.ports.postgres!, 'insert into notes values ($$only in fresh$$)');
    await ok(['remove', fresh.name, '--down']); // its volumes survive
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [AXI_BIN, 'mcp', '--all'],
      cwd: sb.dir,
      env: env as Record<string, string>,
      stderr: 'ignore',
    });
    const client = new Client({ name: 'axi-test', version: '1' });
    await client.connect(transport);
    try {
      const r = await client.callTool({ name: 'register_folder', arguments: { dir: fresh.dir, dataFrom: 'main' } });
      assert.ok(!r.isError, JSON.stringify(r.content));
    } finally {
      await client.close();
    }
    const snaps = await runAxiJson(['snapshots', fresh.name, '--json'], { env });
    const kept = snaps.json.filter((s: { reason: string }) => s.reason === 'clone-data');
    assert.equal(kept.length, 1, JSON.stringify(snaps.json));
    await ok(['restore', fresh.name, kept[0].id, '--yes']);
    await ok(['up', fresh.name, '--wait']);
    assert.equal(await rows(fresh.ports.postgres!), [main.name, 'only in fresh'].sort().join(','));
    await ok(['stop', fresh.name]);
  });

  test('a copy whose verification fails puts the target back from its snapshot and says so', async () => {
    // Another process keeps adding files to the source while it is copied: the copy cannot match it.
    assert.equal((await exec('docker', ['volume', 'inspect', `${main.project}_redis_data`])).code, 0);
    const w = await exec('docker', [
      'run', '-d', '--name', `axitest-writer-${RUN}`, '--network', 'none', '-v', `${main.project}_redis_data:/v`,
      '--entrypoint', 'sh', 'postgres:15-alpine', '-c', 'i=0; while :; do i=$((i+1)); : > /v/axi-w-$i; sleep 0.01; done',
    ]); // prettier-ignore
    assert.equal(w.code, 0, w.stderr);
    await new Promise((r) => setTimeout(r, 300));
    const r = await axi(['clone-data', main.name, tgt.name, '--yes']);
    await exec('docker', ['rm', '-f', `axitest-writer-${RUN}`]);
    assert.notEqual(r.code, 0, r.stdout);
    // Either the tally differs, or a step fails as the folder changes under the workers: refused and put back.
    assert.match(
      r.stderr,
      /failed verification: .*redis_data has \d+ (entries and \d+ bytes|top-level entries, \d+ claimed)|failed \(exit \d+\)/,
    );
    assert.match(r.stderr, new RegExp(`${tgt.name}'s data was restored from snapshot \\S+`));
    await ok(['up', tgt.name, '--wait']);
    assert.equal(await rows(tgt.ports.postgres!), main.name);
    assert.equal(await redisCommand(tgt.ports.redis!, 'GET', 'greeting'), 'hello');
  });

  test('psql right after reset, restore and clone-data --start succeeds', async () => {
    await psql(tgt.ports.postgres!, 'insert into notes values ($$before reset$$)');
    await ok(['reset', tgt.name, '--yes']);
    assert.equal(await psql(tgt.ports.postgres!, 'select 1'), '1');
    await ok(['restore', tgt.name, '--yes']);
    assert.equal(await rows(tgt.ports.postgres!), [main.name, 'before reset'].sort().join(','));
    await ok(['stop', tgt.name]);
    const r = await ok(['clone-data', main.name, tgt.name, '--yes', '--start']);
    assert.match(r.stdout, /copied \S+_postgres_data → \S+_postgres_data: [\d,]+ entries, .*, verified/);
    assert.equal(await rows(tgt.ports.postgres!), main.name);
  });
});
