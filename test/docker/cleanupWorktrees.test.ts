import assert from 'node:assert/strict';
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GIT_IDENTITY, runAxi, runAxiJson, sandbox } from '../helpers';
import { containerExists, exec, removeOwned, RUN, volumeExists } from './dockerHelpers';
import { gitRepo } from './gitRepo';

/**
 * `axi cleanup` applies a repository's `worktrees.onRemove` to its removed worktrees, on the real engine.
 * A namespace of its own: cleanup never sees another suite's (or engineer's) containers on the shared engine.
 */
describe('axi cleanup and removed worktrees', () => {
  const sb = sandbox();
  const prefix = `axicl${RUN}`;
  const env: NodeJS.ProcessEnv = {
    ...sb.env,
    AXI_PREFIX: prefix,
    ...GIT_IDENTITY,
  };
  const main = sb.folder(`aegisx-starter-clean${RUN}`);
  const tree = (s: string) => path.join(path.dirname(main), `${path.basename(main)}-${s}`);
  const config = path.join(main, '.aegisx-instances.yml');
  const { git } = gitRepo(main, env);
  const inst: Record<string, { name: string; project: string; folder: string }> = {};
  const registered = async () =>
    ((await runAxiJson(['list'], { env })).json as { name: string }[]).map((i) => i.name).sort();
  const volumes = (p: string) => [`${p}_postgres_data`, `${p}_redis_data`];

  before(async () => {
    await git('init', '-q', '-b', 'main');
    writeFileSync(config, 'worktrees:\n  onRemove: keep # reported only\n');
    await git('add', '.');
    await git('commit', '-qm', 'policy');
    for (const s of ['main', 'gone', 'stay', 'away']) {
      const dir = s === 'main' ? main : tree(s);
      if (s !== 'main') await git('worktree', 'add', '-q', dir);
      const r = await runAxiJson(['setup', dir], { env });
      assert.equal(r.code, 0, r.stderr);
      inst[s] = r.json;
    }
    for (const s of ['gone', 'stay']) {
      const up = await runAxi(['up', inst[s]!.name], { env });
      assert.equal(up.code, 0, up.stderr);
    }
    await git('worktree', 'remove', '--force', tree('gone'));
    renameSync(tree('away'), `${tree('away')}.unmounted`); // git still lists it: unreachable, not removed
  });

  after(async () => {
    await removeOwned(env);
    // The stand-in CI registry's volume carries another home's label: removed by its name (if a test left it).
    if (inst.gone) await exec('docker', ['volume', 'rm', `${inst.gone.project}_ci_cache`]);
    sb.cleanup();
  });

  test('onRemove: keep — the removed worktree and the unreachable one are reported, nothing is touched', async () => {
    const dry = await runAxi(['cleanup', '--dry-run'], { env });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      new RegExp(`kept ${inst.gone!.name} \\(.*\\): worktree removed; kept \\(worktrees.onRemove: keep\\)`),
    );
    assert.match(
      dry.stdout,
      new RegExp(`kept ${inst.away!.name} \\(.*\\): folder unreachable but still a worktree of git`),
    );
    const real = await runAxi(['cleanup', '--yes'], { env });
    assert.equal(real.code, 0, real.stderr);
    assert.deepEqual(
      await registered(),
      Object.values(inst)
        .map((i) => i.name)
        .sort(),
    );
    assert.ok(await containerExists(`${inst.gone!.project}_postgres`));
  });

  test('onRemove: snapshot-and-remove — a dry run lists it; the real run snapshots, then removes containers, network and volumes', async () => {
    writeFileSync(config, '# the team asked for this\nworktrees:\n  onRemove: snapshot-and-remove\n');
    // A CI job's registry (its own HOME) made a volume under the same project: not this worktree's to remove.
    const ci = `${inst.gone!.project}_ci_cache`;
    const made = await exec('docker', [
      'volume',
      'create',
      ...['--label', `com.docker.compose.project=${inst.gone!.project}`],
      ...[
        '--label',
        'dev.aegisx-instances.registry=ci-registry',
        '--label',
        'dev.aegisx-instances.registry-home=/ci/home',
      ],
      ci,
    ]);
    assert.equal(made.code, 0, made.stderr);
    const dry = await runAxiJson(['cleanup', '--dry-run'], { env });
    assert.equal(dry.code, 0, dry.stderr);
    const [retire] = dry.json.wouldRemove.retire;
    assert.equal(retire.name, inst.gone!.name);
    assert.equal(retire.snapshot, true);
    assert.equal(retire.containers.length, 3);
    assert.deepEqual(retire.volumes, volumes(inst.gone!.project));
    assert.deepEqual(retire.skipped, [`volume ${ci} (belongs to registry /ci/home)`]);
    assert.ok(!JSON.stringify(dry.json.wouldRemove.keptVolumes).includes(ci), 'offered as an orphan');
    assert.deepEqual(
      dry.json.wouldRemove.reported.map((r: { name: string }) => r.name),
      [inst.away!.name],
    );
    assert.ok(await containerExists(`${inst.gone!.project}_postgres`), 'the dry run removed something');

    const real = await runAxi(['cleanup', '--yes'], { env });
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /Removed:\n {2}worktree .*snapshot-and-remove.*after a snapshot/);
    assert.match(real.stdout, new RegExp(`left alone, not its own: volume ${ci} \\(belongs to registry /ci/home\\)`));
    assert.ok(await volumeExists(ci), "the CI registry's volume was removed");
    await exec('docker', ['volume', 'rm', ci]);
    assert.equal(await containerExists(`${inst.gone!.project}_postgres`), false);
    for (const v of volumes(inst.gone!.project)) assert.equal(await volumeExists(v), false, `${v} removed`);
    const nets = await exec('docker', [
      'network',
      'ls',
      '-q',
      '--filter',
      `label=com.docker.compose.project=${inst.gone!.project}`,
    ]);
    assert.equal(nets.stdout.trim(), '');
    assert.equal(readdirSync(path.join(env.AXI_HOME!, 'snapshots', inst.gone!.name)).length, 1, 'one snapshot');
    assert.deepEqual(
      await registered(),
      [inst.main!.name, inst.stay!.name, inst.away!.name].sort(),
      'the unreachable one is still registered',
    );
    // The other worktree's instance is untouched.
    assert.ok(await containerExists(`${inst.stay!.project}_postgres`));
    for (const v of volumes(inst.stay!.project)) assert.ok(await volumeExists(v), `${v} kept`);
  });
});
