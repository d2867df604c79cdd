import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { containerExists, exec, psql, removeOwned, RUN, volumeExists } from '../docker/dockerHelpers';
import { gitRepo } from '../docker/gitRepo';
import { GIT_IDENTITY, ROOT, runAxi, runAxiJson, sandbox, stopChild } from '../helpers';
import { CHROMIUM_ARGS, startServe, moreAction } from './browserHelpers';

/** An instance as `axi list --json` prints it. */
interface Listed {
  name: string;
  project: string;
  folder: string;
  status: string;
  ports: Record<string, number>;
  services: Record<string, { state: string; health: string }>;
}

/** A git repository in a sandbox, its main checkout registered and running with one row. */
function repository(label: string, policy: string | null) {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, ...GIT_IDENTITY, AXI_PREFIX: 'axitest', AXI_RECHECK_MS: '1000' };
  const main = sb.folder(`aegisx-starter-${label}${RUN}`);
  const worktree = (suffix: string) => path.join(path.dirname(main), `${path.basename(main)}-${suffix}${RUN}`);
  const { git, init } = gitRepo(main, env);
  const list = async () => (await runAxiJson<Listed[]>(['list'], { env })).json;
  const byFolder = async (folder: string) => (await list()).find((i) => i.folder === folder);
  const axi = async (...args: string[]) => {
    const r = await runAxiJson<Listed>(args, { env });
    assert.equal(r.code, 0, `axi ${args.join(' ')}: ${r.stderr}`);
    return r.json;
  };
  return {
    sb,
    env,
    main,
    worktree,
    git,
    byFolder,
    axi,
    async init(): Promise<Listed> {
      await init(policy ?? 'slots: 100\n');
      const rec = await axi('setup', main);
      // The user accepts the repository's committed policy once (until then it only offers).
      const trusted = await runAxi(['trust', main], { env });
      assert.equal(trusted.code, 0, trusted.stderr);
      await axi('up', rec.name, '--wait');
      await psql(rec.ports.postgres!, 'create table notes(body text); insert into notes values ($$from main$$)');
      return rec;
    },
    async cleanup() {
      // Worktrees' projects are not in main's compose file: what is left goes by the sandbox's label.
      await removeOwned(env);
      sb.cleanup();
    },
  };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 180_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

const rows = (port: number | undefined) => psql(port!, 'select string_agg(body, $$,$$ order by body) from notes');
const healthy = (i: Listed | undefined) =>
  i?.status === 'running' &&
  Object.values(i.services).every((s) => s.health !== 'unhealthy' && s.health !== 'starting');

describe('axi serve follows the worktrees of its repositories, with no axi command typed', () => {
  const repo = repository(
    'srvf',
    'worktrees: {register: auto, start: true, dataFrom: main, onRemove: snapshot-and-remove}\n',
  );
  let serve: ChildProcess | undefined;
  let main: Listed;
  let other: Listed;

  before(async () => {
    main = await repo.init();
    // Another worktree's instance, registered and created before: it must stay as it is.
    const o = repo.worktree('o');
    await repo.git('worktree', 'add', '-q', o);
    other = await repo.axi('setup', o);
    await repo.axi('up', other.name, '--wait');
    serve = (await startServe(repo.env)).child;
  });

  after(async () => {
    await stopChild(serve);
    await repo.cleanup();
  });

  test('git worktree add: registered, healthy, holding main’s rows; git worktree remove: nothing of it left but a snapshot', async () => {
    const wt = repo.worktree('w');
    await repo.git('worktree', 'add', '-q', wt);
    const inst = await until(`${wt} registered and healthy`, async () => {
      const i = await repo.byFolder(wt);
      return healthy(i) ? i : undefined;
    });
    assert.equal(await rows(inst.ports.postgres), 'from main');
    await psql(inst.ports.postgres!, 'insert into notes values ($$only in the worktree$$)');

    await repo.git('worktree', 'remove', '--force', wt);
    await until('the instance retired', async () => ((await repo.byFolder(wt)) ? undefined : true));
    for (const svc of ['postgres', 'redis', 'pgadmin'])
      assert.equal(await containerExists(`${inst.project}_${svc}`), false, `${svc} container removed`);
    for (const v of ['postgres_data', 'redis_data'])
      assert.equal(await volumeExists(`${inst.project}_${v}`), false, `${v} removed`);
    const networks = await exec('docker', [
      'network',
      'ls',
      '-q',
      '--filter',
      `label=com.docker.compose.project=${inst.project}`,
    ]);
    assert.equal(networks.stdout.trim(), '');
    assert.equal(readdirSync(path.join(repo.env.AXI_HOME!, 'snapshots', inst.name)).length, 1, 'one snapshot');

    // Main and the other worktree's instance are untouched.
    assert.equal(await rows(main.ports.postgres), 'from main');
    for (const p of [main.project, other.project]) {
      for (const v of ['postgres_data', 'redis_data']) assert.ok(await volumeExists(`${p}_${v}`), `${p}_${v} kept`);
    }
    assert.equal((await repo.byFolder(repo.worktree('o')))?.status, 'running');
  });
});

describe('Copy data from… in a real browser against axi serve', () => {
  const repo = repository('cpui', null);
  const artifacts = path.join(ROOT, 'test-artifacts', 'e2e');
  let serve: ChildProcess | undefined;
  let browser: Browser;
  let page: Page;
  let main: Listed;
  let wt: Listed;

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    main = await repo.init();
    const dir = repo.worktree('c');
    await repo.git('worktree', 'add', '-q', dir);
    wt = await repo.axi('setup', dir);
    await repo.axi('up', wt.name, '--wait'); // running: the dialog must say so and offer to stop it
    const s = await startServe(repo.env);
    serve = s.child;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(s.url);
  });

  after(async () => {
    await browser?.close();
    await stopChild(serve);
    await repo.cleanup();
  });

  test("main's rows appear in the worktree's instance after Copy data from… main, with a snapshot of its own", async () => {
    const card = page.getByRole('article', { name: `instance ${wt.name}` });
    await moreAction(card, 'Copy data from…');
    const dialog = page.getByRole('dialog', { name: `Copy data into ${wt.name}` });
    await dialog.waitFor();
    const from = dialog.getByRole('combobox', { name: 'copy data from' });
    await dialog.locator('.pairs li').first().waitFor();
    assert.equal(await from.locator('option:checked').innerText(), `main (${main.name})`);
    const pairs = await dialog.getByRole('list', { name: 'volumes copied' }).innerText();
    assert.match(pairs, new RegExp(`${main.project}_postgres_data → ${wt.project}_postgres_data`));
    assert.match(pairs, new RegExp(`${main.project}_redis_data → ${wt.project}_redis_data`));
    const replace = dialog.getByRole('button', { name: `Replace ${wt.name}'s data` });
    assert.ok(await replace.isDisabled(), 'refused while the target runs');
    await dialog.getByText(`${wt.name} is running: its data can only be replaced while it is stopped.`).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'copy-data-running.png') });
    await dialog.getByRole('button', { name: 'Stop it' }).click();
    await page.waitForFunction((b) => !b.disabled, await replace.elementHandle(), { timeout: 60_000 });
    await page.waitForFunction((b) => (globalThis as any).document.activeElement === b, await replace.elementHandle(), {
      timeout: 5000,
    });
    await replace.click();
    const result = dialog.getByRole('status', { name: 'copy result' });
    await result.waitFor({ timeout: 120_000 });
    const text = await result.innerText();
    assert.match(
      text,
      new RegExp(`Copied and verified ${main.project}_postgres_data → ${wt.project}_postgres_data \\([\\d,]+ entries`),
    );
    assert.match(text, /Snapshot \S+ of the previous data kept/);
    await page.screenshot({ path: path.join(artifacts, 'copy-data-done.png') });
    // Started from the result itself: the dialog closes and the card follows.
    await dialog.getByRole('button', { name: `Start ${wt.name}` }).click();
    await dialog.waitFor({ state: 'detached', timeout: 120_000 });
    await card
      .locator('[data-service="postgres"]', { hasText: 'healthy' })
      .waitFor({ state: 'attached', timeout: 120_000 });
    assert.equal(await rows(wt.ports.postgres), 'from main');
    assert.equal(readdirSync(path.join(repo.env.AXI_HOME!, 'snapshots', wt.name)).length, 1);
    // Main kept running throughout (paused only for the copy) and has its rows.
    assert.equal((await repo.byFolder(repo.main))?.status, 'running');
    assert.equal(await rows(main.ports.postgres), 'from main');
  });

  test("the repository's worktree policy is edited in the window: written into its config, other keys and comments kept", async () => {
    const file = path.join(repo.main, '.aegisx-instances.yml');
    writeFileSync(file, '# team settings\nslots: 100 # enough\n');
    await moreAction(page.getByRole('article', { name: `instance ${main.name}` }), 'Worktree policy…');
    const dialog = page.getByRole('dialog', { name: /^Worktrees of / });
    await dialog.getByRole('combobox', { name: 'A new worktree' }).selectOption('auto');
    await dialog.getByRole('combobox', { name: 'A removed worktree' }).selectOption('snapshot-and-remove');
    await dialog.getByRole('checkbox', { name: 'start' }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('status').waitFor();
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# team settings\nslots: 100 # enough\nworktrees:\n/);
    assert.match(text, /register: auto/);
    assert.match(text, /start: true/);
    assert.match(text, /onRemove: snapshot-and-remove/);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});
