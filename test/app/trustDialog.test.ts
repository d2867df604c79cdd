import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { composeDown, exec, RUN } from '../docker/dockerHelpers';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { openDashboard, type Dashboard } from './browserHelpers';

declare const document: { activeElement: { textContent: string | null } | null };

/**
 * A project whose compose file binds a folder outside its checkout, started from the window (`axi serve` in
 * Chromium, a real engine): refused until a person answers the dialog that names the path. Cancel and Escape
 * start nothing; "Allow once" starts it and remembers nothing; "Always trust" starts it and is remembered.
 */
describe('the window asks before a compose file reaches the host', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: `axtrust${RUN}` };
  const outside = path.join(sb.dir, 'outside-data');
  const folders = ['once', 'always'].map((k) => sb.folder(`aegisx-starter-tr${k}${RUN}`));
  const recs: { name: string; project: string; folder: string }[] = [];
  let dash: Dashboard;
  let setupOut = '';

  before(async () => {
    mkdirSync(outside, { recursive: true });
    for (const dir of folders) {
      writeFileSync(path.join(dir, '.aegisx-instances.yml'), 'from: docker-compose.yml\n');
      writeFileSync(
        path.join(dir, 'docker-compose.yml'),
        `services:\n  app:\n    image: redis:7-alpine\n    volumes: ["${outside}:/host:ro"]\n`,
      );
      const r = await runAxi(['setup', dir], { env });
      assert.equal(r.code, 0, r.stderr);
      setupOut += r.stdout;
    }
    const listed = (await runAxiJson(['list'], { env })).json as { name: string; project: string; folder: string }[];
    for (const dir of folders) recs.push(listed.find((i) => i.folder === dir)!);
    dash = await openDashboard(env);
  });

  after(async () => {
    await dash?.close();
    for (const r of recs) await composeDown(r.project, path.join(r.folder, 'docker-compose.instance.yml'));
    sb.cleanup();
  });

  const running = async (project: string) =>
    (await exec('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`], env)).stdout.trim();
  const card = (name: string) => dash.page.getByRole('article', { name: `instance ${name}` });
  const dialog = () => dash.page.getByRole('dialog');
  const focused = () => dash.page.evaluate(() => document.activeElement?.textContent ?? '');
  const startFrom = async (c: Locator) => {
    await c.getByRole('button', { name: 'Start', exact: true }).click();
    await dialog().waitFor({ timeout: 15_000 });
    await dialog().getByText(outside).waitFor({ timeout: 10_000 });
  };
  const isRunning = (c: Locator) =>
    c
      .getByTestId('status')
      .filter({ hasText: /^Running/ })
      .waitFor({ timeout: 60_000 });

  test('axi setup says in one line that it reaches the host, and how to accept it', () => {
    for (const dir of folders)
      assert.match(
        setupOut,
        new RegExp(
          `note: its compose file reaches the host \\(app: volumes ${outside} \\(a host folder outside the checkout\\)\\); review it: it starts only once you accept it with axi trust ${dir}`,
        ),
      );
  });

  test('the card says it needs acceptance; Escape and Cancel start nothing and give focus back', async () => {
    const [rec] = recs;
    const c = card(rec!.name);
    await c.getByTestId('needs-trust').waitFor({ timeout: 20_000 });
    await startFrom(c);
    assert.match(await dialog().innerText(), /app: volumes/);
    assert.equal(await focused(), 'Cancel', 'focus went into the dialog, on Cancel');
    await dash.page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    assert.equal(await focused(), 'Start', 'focus went back to Start');
    await startFrom(c);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await running(rec!.project), '', 'Cancel started a container');
    assert.match(await c.innerText(), /reaches the host/);
  });

  test('Allow once starts it and remembers nothing: its next start asks again', async () => {
    const [rec] = recs;
    const c = card(rec!.name);
    await startFrom(c);
    await dialog().getByRole('button', { name: 'Allow once' }).click();
    await isRunning(c);
    assert.notEqual(await running(rec!.project), '');
    await c.getByRole('button', { name: 'Stop', exact: true }).click();
    await c
      .getByTestId('status')
      .filter({ hasText: /^Stopped/ })
      .waitFor({ timeout: 60_000 });
    await startFrom(c);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
  });

  test('Always trust starts it, is remembered (the card stops asking, axi up goes ahead)', async () => {
    const rec = recs[1]!;
    const c = card(rec.name);
    await startFrom(c);
    await dialog().getByRole('button', { name: 'Always trust' }).click();
    await isRunning(c);
    assert.notEqual(await running(rec.project), '');
    await c.getByTestId('needs-trust').waitFor({ state: 'detached', timeout: 20_000 });
    assert.equal((await runAxi(['down', rec.name], { env })).code, 0);
    const up = await runAxi(['up', rec.name], { env });
    assert.equal(up.code, 0, `asked again after Always trust: ${up.stderr}`);
  });
});
