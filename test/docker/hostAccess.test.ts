import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GIT_IDENTITY, runAxi, runAxiJson, sandbox } from '../helpers';
import { exec, removeOwned, RUN } from './dockerHelpers';
import { gitRepo } from './gitRepo';

/**
 * A repository that commits `worktrees: {register: auto, start: true}` and a compose file reaching the host
 * (`/` mounted, the Docker socket, `pid: host`) starts nothing until the user accepts each.
 */
describe('a repository’s config offers; the user decides', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: `axhost${RUN}`, ...GIT_IDENTITY };
  const main = sb.folder(`aegisx-starter-host${RUN}`);
  const wt = path.join(path.dirname(main), `${path.basename(main)}-feat`);
  const outside = path.join(sb.dir, 'outside');
  const { git, initWith } = gitRepo(main, env);
  const compose = (extra: string) =>
    `services:\n  app:\n    image: redis:7-alpine\n    volumes: ["${outside}:/host:ro"${extra}]\n`;

  before(async () => {
    mkdirSync(outside, { recursive: true });
    await initWith(
      {
        '.aegisx-instances.yml': 'from: docker-compose.yml\nworktrees: {register: auto, start: true}\n',
        'docker-compose.yml':
          'services:\n  app:\n    image: redis:7-alpine\n    pid: host\n    volumes: ["/:/host", "/var/run/docker.sock:/var/run/docker.sock"]\n',
      },
      'hostile',
    );
    const r = await runAxiJson(['setup', main], { env });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    // What is left is found by the sandbox's label, not by names recorded on the way.
    await removeOwned(env);
    sb.cleanup();
  });

  test('git worktree add: offered, not registered nor started, until axi trust; then its start still asks about the host', async () => {
    await git('worktree', 'add', '-q', wt);
    const once = await runAxi(['watch', main, '--once'], { env });
    assert.equal(once.code, 0, once.stderr);
    assert.match(once.stdout, /asks to register, start or copy data .* axi trust /);
    const listed = (await runAxiJson(['list'], { env })).json as { folder: string }[];
    assert.ok(!listed.some((i) => i.folder === wt), 'the worktree was registered without the user accepting');

    assert.equal((await runAxi(['trust', main], { env })).code, 0);
    const after = await runAxi(['watch', main, '--once'], { env });
    const rec = (
      (await runAxiJson(['list'], { env })).json as { folder: string; name: string; project: string }[]
    ).find((i) => i.folder === wt);
    assert.ok(rec, `registered once accepted: ${after.stdout}`);
    assert.match(
      after.stdout,
      /reaches the host \(app: volumes \/ \(a host folder outside the checkout\); app: volumes \/var\/run\/docker\.sock .*; app: pid host\)/,
    );
    // Registration may create its containers; none of them runs.
    const running = await exec(
      'docker',
      ['ps', '-q', '--filter', `label=com.docker.compose.project=${rec.project}`],
      env,
    );
    assert.equal(running.stdout.trim(), '', 'a container of the worktree runs');
  });

  test('axi up lists what reaches the host and needs --yes; accepted once, asked again when it changes', async () => {
    writeFileSync(path.join(main, 'docker-compose.yml'), compose(''));
    assert.equal((await runAxi(['setup', main], { env })).code, 0);
    const up = await runAxi(['up'], { env, cwd: main });
    assert.equal(up.code, 2, up.stderr);
    assert.match(up.stderr, new RegExp(`app: volumes ${outside} \\(a host folder outside the checkout\\)`));
    assert.match(up.stderr, /Pass --yes to confirm\./);
    assert.equal((await runAxi(['up', '--yes'], { env, cwd: main })).code, 0);
    assert.equal((await runAxi(['up'], { env, cwd: main })).code, 0, 'asked again for what was accepted');
    writeFileSync(path.join(main, 'docker-compose.yml'), compose(', "/etc:/etc2:ro"'));
    assert.equal((await runAxi(['setup', main], { env })).code, 0);
    const changed = await runAxi(['up'], { env, cwd: main });
    assert.equal(changed.code, 2, changed.stderr);
    assert.match(changed.stderr, /app: volumes \/etc /);
    assert.ok(existsSync(path.join(sb.env.AXI_HOME!, 'trust.json')));
  });

  test('reset, restore and stack --deploy ask too, before anything is stopped, snapshotted or replaced', async () => {
    const withData = (extra: string) =>
      `services:\n  app:\n    image: redis:7-alpine\n    volumes: ["${outside}:/host:ro", "data:/data"${extra}]\nvolumes:\n  data: {}\n`;
    writeFileSync(path.join(main, 'docker-compose.yml'), withData(''));
    assert.equal((await runAxi(['setup', main], { env })).code, 0);
    assert.equal((await runAxi(['up', '--yes'], { env, cwd: main })).code, 0);
    const rec = (
      (await runAxiJson(['list'], { env })).json as { folder: string; name: string; project: string }[]
    ).find((i) => i.folder === main)!;
    const reset = await runAxi(['reset', rec.name, '--yes'], { env });
    assert.equal(reset.code, 0, `accepted: a reset runs: ${reset.stderr}`);
    const snapshots = async () => ((await runAxiJson(['snapshots', rec.name], { env })).json as unknown[]).length;
    const kept = await snapshots();
    assert.ok(kept > 0, `the reset kept a snapshot of its data volume: ${reset.stdout}${reset.stderr}`);
    const running = async () =>
      (
        await exec('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${rec.project}`], env)
      ).stdout.trim();
    const before = await running();
    assert.ok(before, 'running after the reset');

    writeFileSync(path.join(main, 'docker-compose.yml'), withData(', "/etc:/etc2:ro"'));
    assert.equal((await runAxi(['setup', main], { env })).code, 0);
    for (const args of [
      ['reset', rec.name, '--yes'],
      ['restore', rec.name, '--yes'],
      ['stack', rec.name, '--deploy'],
    ]) {
      const r = await runAxi(args, { env });
      assert.notEqual(r.code, 0, `${args[0]} went ahead: ${r.stdout}`);
      assert.match(r.stderr, /reaches the host \(.*app: volumes \/etc /, args[0]);
    }
    assert.equal(await running(), before, 'its containers were stopped or replaced');
    assert.equal(await snapshots(), kept, 'a snapshot was taken');
  });
});
