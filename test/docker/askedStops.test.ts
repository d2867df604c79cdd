import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setupController } from '../../main/api/controller/controller';
import type { NotificationView, Overview } from '../../main/shared/api/table';
import { createBackend } from '../../main/docker/lifecycle/backend';
import { GIT_IDENTITY, holdPort, runAxi, runAxiJson, sandbox, sandboxPaths, stopChild } from '../helpers';
import { removeOwned, RUN } from './dockerHelpers';
import { gitRepo } from './gitRepo';

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 300))) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A listener on `port` whose process is named `name` (as Docker's own proxy is named `docker-proxy`). */
function holdPortAs(name: string, port: number, dir: string): Promise<ChildProcess> {
  mkdirSync(dir, { recursive: true });
  const bin = path.join(dir, name);
  symlinkSync(process.execPath, bin); // the kernel names the process after the path it was started by
  const code = `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log('ready'));`;
  const child = spawn(bin, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child));
    child.once('exit', (c) => reject(new Error(`holder exited ${c}`)));
  });
}

/**
 * Alerts only for what nobody asked for, watched by the app's controller on the real engine: a stop typed
 * in a terminal and a removal by the worktree policy raise no "failed"; a service that dies by itself does.
 */
describe('no alarm for a stop or a removal somebody asked for', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, ...GIT_IDENTITY, AXI_PREFIX: 'axitest', AXI_RECHECK_MS: '1000' };
  const main = sb.folder(`aegisx-starter-ask${RUN}`);
  const wt = `${main}-qf${RUN}`;
  const backend = createBackend({ env, paths: sandboxPaths(env) });
  const controller = setupController({ backend, recheckMs: 1000 });
  const notes: NotificationView[] = [];
  let name = '';
  const repo = gitRepo(main, env);
  const git = repo.git;
  const view = async () => {
    const o = (await controller.invoke('getOverview', [])) as { ok: true; value: Overview };
    return o.value.instances.find((i) => i.folder === wt);
  };
  const failed = () => notes.filter((n) => n.kind === 'failed' || n.kind === 'conflict');

  before(async () => {
    await repo.init('worktrees: {register: off, onRemove: snapshot-and-remove}\n');
    assert.equal((await runAxi(['setup', main], { env })).code, 0);
    await git('worktree', 'add', '-q', wt);
    const r = await runAxiJson<{ name: string }>(['setup', wt], { env });
    assert.equal(r.code, 0, r.stderr);
    name = r.json.name;
    await controller.start();
    controller.on('notification', (n) => void notes.push(n));
  });

  after(async () => {
    controller.stop();
    // The worktree's folder is gone with it: what may be left is found by the sandbox's label.
    await removeOwned(env);
    sb.cleanup();
  });

  test('axi up and axi stop in a terminal: no conflict while it comes up, no "failed" when it stops', async () => {
    const up = await runAxi(['up', name, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    await until('running in the overview', async () => ((await view())?.status === 'running' ? true : undefined));
    await new Promise((r) => setTimeout(r, 2500)); // a re-check or two after it came up
    const stop = await runAxi(['stop', name], { env });
    assert.equal(stop.code, 0, stop.stderr);
    await until('stopped in the overview', async () => ((await view())?.status === 'stopped' ? true : undefined));
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(failed(), []);
  });

  test('the policy removes the worktree’s running instance: no "failed" for it', async () => {
    assert.equal((await runAxi(['up', name, '--wait'], { env })).code, 0);
    await until('running again', async () => ((await view())?.status === 'running' ? true : undefined));
    await git('worktree', 'remove', '--force', wt);
    await until('retired', async () => ((await view()) ? undefined : true), 180_000);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(failed(), []);
    // Said once, plainly, under the repository's own name (not the stack's scope "aegisx").
    const removed = notes.filter((n) => n.body.includes('its worktree is gone'));
    assert.equal(removed.length, 1, JSON.stringify(notes));
    assert.equal(removed[0]!.title, `Worktrees of ${path.basename(main)}`);
    assert.match(
      removed[0]!.body,
      // Counted in words: its three containers and two volumes removed, after a snapshot of them.
      new RegExp(`^${name} removed \\(its worktree is gone\\): 3 containers, 2 volumes; snapshot kept: `),
    );
    assert.doesNotMatch(`${removed[0]!.title} ${removed[0]!.body}`, /aegisx\/|freed|\(s\)/);
  });
});

describe("Docker's proxy for an instance's own container coming up is not a conflict", () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const dir = sb.folder(`aegisx-starter-prx${RUN}`);
  // Made when this suite starts, not when the file loads: a backend makes its $AXI_HOME the process's registry
  // (one per process in the app and the CLI), and the suite above judges "is it ours" against its own.
  let backend: ReturnType<typeof createBackend>;
  let rec: { name: string; ports: Record<string, number> };

  before(async () => {
    backend = createBackend({ env, paths: sandboxPaths(env) });
    const r = await runAxiJson(['setup', dir], { env });
    assert.equal(r.code, 0, r.stderr);
    rec = r.json;
    // Its containers made and then stopped: what `up` finds when it starts them again.
    assert.equal((await runAxi(['up', rec.name, '--wait'], { env })).code, 0);
    assert.equal((await runAxi(['stop', rec.name], { env })).code, 0);
  });

  after(async () => {
    await removeOwned(env);
    sb.cleanup();
  });

  test('docker-proxy on a port its own stopped container binds: none; another program on it: a conflict', async () => {
    const port = rec.ports.postgres!;
    const proxy = await holdPortAs('docker-proxy', port, path.join(sb.dir, 'bin'));
    try {
      const { conflicts } = await backend.service.checkPorts({});
      assert.deepEqual(
        conflicts.filter((c) => c.port === port),
        [],
      );
    } finally {
      await stopChild(proxy);
    }
    const other = await holdPort(port, '127.0.0.1');
    try {
      const { conflicts } = await backend.service.checkPorts({});
      assert.deepEqual(
        conflicts.filter((c) => c.port === port).map((c) => c.process?.name),
        ['node'],
      );
    } finally {
      await other.stop();
    }
  });
});
