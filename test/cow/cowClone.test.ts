import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { spreadSuffixes } from '../remote/remoteEngine';
import { startCowEngine, type CowFs, type CowOrSkip } from './cowEngine';

const IMAGES = ['postgres:15-alpine', 'redis:7-alpine', 'dpage/pgadmin4:latest'];

/**
 * Data branches on an engine whose data root clones (issue 27): clone-data and snapshots share blocks instead
 * of copying them, and each side's writes stay its own. Run once on btrfs, once on XFS with reflink.
 */
for (const fs of ['btrfs', 'xfs'] as CowFs[]) {
  describe(`data branches on a ${fs} engine`, () => {
    const sb = sandbox();
    // The cow engine is this axi's local engine (DOCKER_HOST), so `list --stats` reads its disk too.
    const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: `axicow${fs[0]}`, AXI_OWNER: 'alice' };
    const [srcS, tgtS] = spreadSuffixes(2, `c${fs[0]}`) as [string, string];
    const dir = (s: string) => sb.folder(`aegisx-starter-${s}`);
    let cow: CowOrSkip = { skip: 'not started' };

    before(async () => {
      cow = await startCowEngine(fs, IMAGES);
      if (cow.engine) env.DOCKER_HOST = cow.engine.host;
    });

    after(async () => {
      if (cow.engine) {
        for (const s of [srcS, tgtS]) await runAxi(['down', s, '--volumes', '--yes'], { env });
        await cow.engine.docker(['volume', 'rm', 'axi-snapshot-store']);
        await cow.engine.stop();
      }
      sb.cleanup();
    });

    /** SQL through psql inside the instance's Postgres container (on the local engine its name has no owner). */
    const sql = async (suffix: string, query: string) => {
      const r = await cow.engine!.docker([
        ...['exec', `${env.AXI_PREFIX!}_${suffix}_postgres`, 'psql', '-U', 'postgres', '-d', 'aegisx_db'],
        ...['-Atqc', query],
      ]);
      return r.code === 0 ? r.stdout.trim() : `error: ${r.stderr.trim()}`;
    };

    test('clone-data clones (copy-on-write) with a clone snapshot first; each side writes on its own; restore brings the target back', async (t) => {
      if (!cow.engine) return t.skip(cow.skip);
      for (const s of [srcS, tgtS]) {
        const made: { code: number; stderr: string } = await runAxiJson(['setup', dir(s)], { env });
        assert.equal(made.code, 0, made.stderr);
        const up = await runAxiJson(['up', s, '--wait'], { env });
        assert.equal(up.code, 0, up.stderr);
      }
      assert.equal(await sql(srcS, 'create table notes(body text); insert into notes values ($$from main$$)'), '');
      assert.equal(await sql(tgtS, 'create table own(body text); insert into own values ($$the worktree$$)'), '');
      assert.equal((await runAxi(['stop', tgtS], { env })).code, 0);

      const copied = await runAxi(['clone-data', srcS, tgtS, '--yes'], { env: { ...env, AXI_DATA_DEBUG: '1' } });
      assert.equal(copied.code, 0, copied.stderr);
      assert.match(copied.stdout, /cloned \(copy-on-write\) \S+postgres_data → \S+postgres_data: .*verified/);
      assert.match(copied.stderr, /cloning \(copy-on-write\) \S+postgres_data → \S+postgres_data/);
      assert.match(copied.stderr, /snapshot of \d+ volumes: cloned \(copy-on-write\)/);
      // One clone per copy: the target's files were moved into its snapshot (renames), not cloned there.
      assert.match(copied.stderr, /^axi: data: snapshot move \d+ ms/m);
      t.diagnostic(`clone-data said: ${copied.stderr}${copied.stdout}`);

      assert.equal((await runAxi(['up', tgtS, '--wait'], { env })).code, 0);
      assert.equal(await sql(tgtS, 'select string_agg(body, $$,$$) from notes'), 'from main');
      // Writes after the clone stay on their side.
      await sql(tgtS, 'insert into notes values ($$worktree only$$)');
      await sql(srcS, 'insert into notes values ($$main only$$)');
      assert.equal(await sql(srcS, 'select string_agg(body, $$,$$ order by body) from notes'), 'from main,main only');
      assert.equal(
        await sql(tgtS, 'select string_agg(body, $$,$$ order by body) from notes'),
        'from main,worktree only',
      );

      const snaps = (await runAxiJson(['snapshots', tgtS], { env })).json as {
        id: string;
        reason: string;
        kind: string;
      }[];
      const before = snaps.at(-1)!;
      assert.deepEqual([before.reason, before.kind], ['clone-data', 'clone']);
      const restored = await runAxi(['restore', tgtS, before.id, '--yes'], { env });
      assert.equal(restored.code, 0, restored.stdout + restored.stderr);
      assert.equal(await sql(tgtS, 'select string_agg(body, $$,$$) from own'), 'the worktree', 'its own data is back');
      assert.match(await sql(tgtS, 'select count(*) from notes'), /error: .*notes/, "main's table is gone again");

      // The restore kept the data it replaced (main's clone) as a clone snapshot: it shares main's blocks, so
      // deleting it frees far less than its size.
      type Listed = { id: string; reason: string; kind: string; volumes: { bytes: number }[]; exclusiveBytes: number };
      const listed = (await runAxiJson(['snapshots', tgtS], { env })).json as Listed[];
      const kept = listed.find((s) => s.reason === 'before-restore')!;
      const size = kept.volumes.reduce((n, v) => n + v.bytes, 0);
      t.diagnostic(`restore's snapshot: ${size} bytes, ${kept.exclusiveBytes} its own`);
      assert.equal(kept.kind, 'clone');
      assert.ok(kept.exclusiveBytes >= 0 && kept.exclusiveBytes < size / 2, `${kept.exclusiveBytes} of ${size}`);
      const shown = await runAxi(['snapshots', tgtS], { env });
      assert.match(shown.stdout, new RegExp(`${kept.id} +before-restore +clone \\(copy-on-write\\) .* own`));
    });

    test('without host access to the data root, the helper container clones as well (AXI_HOST_CLONES=0)', async (t) => {
      if (!cow.engine) return t.skip(cow.skip);
      assert.equal((await runAxi(['stop', tgtS], { env })).code, 0);
      const helper = { ...env, AXI_HOST_CLONES: '0' };
      const copied = await runAxi(['clone-data', srcS, tgtS, '--yes'], { env: helper });
      assert.equal(copied.code, 0, copied.stderr);
      assert.match(copied.stdout, /cloned \(copy-on-write\) \S+postgres_data → \S+postgres_data: .*verified/);
      assert.match(copied.stderr, /snapshot of \d+ volumes: cloned \(copy-on-write\)/);
      assert.equal((await runAxi(['up', tgtS, '--wait'], { env })).code, 0);
      assert.equal(await sql(tgtS, 'select string_agg(body, $$,$$ order by body) from notes'), 'from main,main only');
    });

    test("list --stats shows a clone's own disk beside its size: far less, as it shares main's blocks", async (t) => {
      if (!cow.engine) return t.skip(cow.skip);
      type Row = { name: string; stats: { diskBytes: number; exclusiveBytes?: number } };
      const rows = (await runAxiJson(['list', '--stats'], { env })).json as Row[];
      const clone = rows.find((r) => r.name === tgtS)!.stats;
      t.diagnostic(`the clone: ${clone.diskBytes} bytes, ${clone.exclusiveBytes} its own`);
      assert.equal(typeof clone.exclusiveBytes, 'number');
      assert.ok(clone.exclusiveBytes! < clone.diskBytes / 2, `${clone.exclusiveBytes} of ${clone.diskBytes}`);
      const table = await runAxi(['list', '--stats'], { env });
      assert.match(table.stdout, new RegExp(`${tgtS}.* own`));
    });

    test('axi doctor names the file system and says clones are available', async (t) => {
      if (!cow.engine) return t.skip(cow.skip);
      const doc = await runAxi(['doctor'], { env });
      assert.match(doc.stdout + doc.stderr, new RegExp(`engine local: volumes on ${fs}.*clones available`));
    });
  });
}
