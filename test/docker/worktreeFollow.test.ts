import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AXI_BIN, GIT_IDENTITY, runAxi, runAxiJson, sandbox, stopChild } from '../helpers';
import { containerExists, exec, psql, removeOwned, RUN, volumeExists } from './dockerHelpers';
import { gitRepo } from './gitRepo';

/** `git worktree add` / `remove` followed with no axi command typed: by `axi watch`, then by the git hook. */
describe('instances that follow the repository’s worktrees', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = {
    ...sb.env,
    AXI_PREFIX: 'axitest',
    ...GIT_IDENTITY,
  };
  const main = sb.folder(`aegisx-starter-follow${RUN}`);
  const { git, init } = gitRepo(main, env);
  let mainRec: { name: string; ports: Record<string, number> };
  const byFolder = async (folder: string) =>
    ((await runAxiJson(['list'], { env })).json as any[]).find((i) => i.folder === folder);
  async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 180_000): Promise<T> {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
      const v = await fn().catch(() => undefined);
      if (v) return v;
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  before(async () => {
    await init('worktrees: {register: auto, start: true, dataFrom: main, onRemove: snapshot-and-remove}\n');
    const r = await runAxiJson(['setup', main], { env });
    assert.equal(r.code, 0, r.stderr);
    mainRec = r.json;
    // The user accepts the repository's committed policy once (until then it only offers).
    const trusted = await runAxi(['trust', main], { env });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.equal((await runAxiJson(['up', mainRec.name, '--wait'], { env })).code, 0);
    await psql(mainRec.ports.postgres!, 'create table notes(body text); insert into notes values ($$from main$$)');
  });

  after(async () => {
    // A worktree's project is not in main's compose file: by main's file its network stayed. By label, all goes.
    await removeOwned(env);
    sb.cleanup();
  });

  /** The new worktree's instance: registered, running, with main's row; returns its record. */
  async function readyWorktree(folder: string) {
    const inst = await until(`${folder} running`, async () => {
      const i = await byFolder(folder);
      return i?.status === 'running' ? i : undefined;
    });
    // Running is not yet ready: Postgres may still be replaying the copied data when its container is up.
    const rows = await until(
      `${folder}'s Postgres answering`,
      () => psql(inst.ports.postgres, 'select string_agg(body, $$,$$) from notes'),
      60_000,
    );
    assert.equal(rows, 'from main');
    return inst;
  }

  test('axi watch: git worktree add gives a running instance with main’s rows; git worktree remove leaves nothing but a snapshot', async () => {
    const watcher = spawn(process.execPath, [AXI_BIN, 'watch', main, '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    watcher.stdout.on('data', (d) => (out += d));
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const wt = path.join(path.dirname(main), `${path.basename(main)}-w${RUN}`);
      await git('worktree', 'add', '-q', wt);
      const inst = await readyWorktree(wt);
      assert.match(out, /"action":"register"/);
      assert.match(out, /"action":"copied"/);
      await psql(inst.ports.postgres, 'insert into notes values ($$only in the worktree$$)');
      await git('worktree', 'remove', '--force', wt);
      await until('the instance retired', async () => ((await byFolder(wt)) ? undefined : true));
      assert.match(out, /"action":"retire".*: 3 containers, 2 volumes; snapshot kept: \S+/);
      assert.equal(await containerExists(`${inst.project}_postgres`), false);
      assert.equal(await volumeExists(`${inst.project}_postgres_data`), false);
      assert.equal(
        (
          await exec('docker', ['network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${inst.project}`])
        ).stdout.trim(),
        '',
      );
      assert.equal(
        readdirSync(path.join(env.AXI_HOME!, 'snapshots', inst.name)).length,
        1,
        'one snapshot of its volumes',
      );
    } finally {
      await stopChild(watcher);
    }
    assert.equal(
      await psql(mainRec.ports.postgres!, 'select string_agg(body, $$,$$) from notes'),
      'from main',
      'main untouched',
    );
  });

  test('the git hook does the same without a watcher, after the hook that was there, and uninstall restores it', async () => {
    const hooks = path.join(main, '.git', 'hooks');
    const previous = path.join(hooks, 'post-checkout');
    writeFileSync(previous, `#!/bin/sh\necho ran >> ${JSON.stringify(path.join(sb.dir, 'previous-hook-ran'))}\n`);
    chmodSync(previous, 0o755);
    for (let k = 0; k < 2; k++)
      assert.equal((await runAxi(['hooks', 'install', main], { env })).code, 0, 'install twice: idempotent');
    assert.match(readFileSync(previous, 'utf8'), /axi: worktree hook/);
    const wt = path.join(path.dirname(main), `${path.basename(main)}-h${RUN}`);
    await git('worktree', 'add', '-q', wt);
    // git has run the hook before returning: the instance is there already.
    const inst = await byFolder(wt);
    assert.equal(inst?.status, 'running');
    // Running is not yet ready: Postgres may still be replaying the copied data when its container is up.
    const rows = await until(
      `${wt}'s Postgres answering`,
      () => psql(inst.ports.postgres, 'select string_agg(body, $$,$$) from notes'),
      60_000,
    );
    assert.equal(rows, 'from main');
    assert.equal(readFileSync(path.join(sb.dir, 'previous-hook-ran'), 'utf8'), 'ran\n');
    assert.equal((await runAxi(['hooks', 'uninstall', main], { env })).code, 0);
    assert.match(readFileSync(previous, 'utf8'), /echo ran/);
    assert.equal(existsSync(path.join(hooks, 'post-checkout.axi-chained')), false);
  });
});
