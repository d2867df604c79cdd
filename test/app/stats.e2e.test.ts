import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { composeDown, exec, RUN, volumeExists } from '../docker/dockerHelpers';
import { runAxiJson, sandbox } from '../helpers';
import { openDashboard, type Dashboard } from './browserHelpers';

// Evaluated in the page, not in Node: the test project compiles without DOM types.
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  dispatchEvent(event: Event): boolean;
};

/** The cards' CPU, memory and disk, the header's total and the reclaimable disk, in Chromium against `axi serve`. */
describe('what each instance costs, in the dashboard', () => {
  const sb = sandbox();
  const prefix = `axw${RUN}`; // this run's own namespace: the cleanup below sees nothing of other suites
  const env = { ...sb.env, AXI_PREFIX: prefix };
  const dir = sb.folder(`aegisx-starter-web${RUN}`);
  const name = `web${RUN}`;
  const orphan = `${prefix}_gone${RUN}_postgres_data`;
  let dash: Dashboard;
  let page: Page;
  const card = () => page.getByRole('article', { name: `instance ${name}` });

  before(async () => {
    assert.equal((await runAxiJson(['setup', dir], { env })).code, 0);
    const up = await runAxiJson(['up', name, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    // A removed instance's volume of this registry (its label), 1 MiB of data, before the page's first sample.
    const registry = readFileSync(path.join(sb.env.AXI_HOME!, 'registry-id'), 'utf8').trim();
    const labels = [`com.docker.compose.project=${prefix}_gone${RUN}`, `dev.aegisx-instances.registry=${registry}`];
    await exec('docker', ['volume', 'create', ...labels.flatMap((l) => ['--label', l]), orphan]);
    const fill = ['run', '--rm', '-v', `${orphan}:/d`, 'redis:7-alpine', 'sh', '-c', 'head -c 1048576 /dev/zero >/d/f'];
    assert.equal((await exec('docker', fill)).code, 0);
    dash = await openDashboard(env);
    page = dash.page;
  });

  after(async () => {
    await dash?.close();
    await composeDown(`${prefix}_${name}`, path.join(dir, 'docker-compose.instance.yml'));
    await exec('docker', ['volume', 'rm', '-f', orphan]);
    sb.cleanup();
  });

  test('the card shows CPU, memory and disk; the header their total', async () => {
    const usage = card().getByTestId('usage');
    await page.waitForFunction(
      (n) => /memory [\d.]+ MiB/.test(document.querySelector(`#instance-${n} [data-testid=usage]`)?.textContent ?? ''),
      name,
      { timeout: 15_000 },
    );
    assert.match(await usage.innerText(), /^CPU \d+(\.\d)?% · memory [\d.]+ MiB · disk [\d.]+ MiB$/);
    const total = await page.getByTestId('total').innerText();
    assert.match(total, /^CPU \d+(\.\d)?% · [\d.]+ MiB memory · [\d.]+ MiB disk$/);
    // One instance: the total is its figures.
    const mem = /memory ([\d.]+ MiB)/.exec(await usage.innerText())![1];
    assert.ok(total.includes(`${mem} memory`), `${total} vs ${mem}`);
  });

  test('a hidden page asks for nothing; visible again, it asks at once', async () => {
    const asked: number[] = [];
    page.on('request', (r) => r.url().endsWith('/api/call') && r.postData()?.includes('getStats') && asked.push(1));
    const setVisibility = (state: string) =>
      page.evaluate((s) => {
        Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    await setVisibility('hidden');
    asked.length = 0;
    await page.waitForTimeout(6_000); // longer than the 5 s interval
    assert.equal(asked.length, 0, 'asked for stats while hidden');
    await setVisibility('visible');
    await page.waitForTimeout(500);
    assert.equal(asked.length, 1);
  });

  test('reclaimable disk: the dry run lists the volume with its size; confirmed, it is gone', async () => {
    const item = page.getByTestId('reclaimable');
    await item.waitFor();
    assert.equal(await item.innerText(), 'Reclaimable: 1.0 MiB — Clean up…');
    await item.getByRole('button', { name: 'Clean up…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clean up gone and orphaned instances?' });
    await dialog.getByText(`${orphan} (1.0 MiB)`).waitFor();
    assert.match(await dialog.innerText(), /Dry run: this would remove the following and reclaim 1\.0 MiB/);
    assert.ok(!(await dialog.innerText()).includes(`${name}_postgres_data`), 'the running instance’s volume listed');
    assert.ok(await volumeExists(orphan), 'the dry run removed the volume');
    await dialog.getByRole('button', { name: 'Remove 1 item(s)' }).click();
    await dialog.getByText('Removed 1 item(s); reclaimed 1.0 MiB.').waitFor({ timeout: 15_000 });
    assert.ok(!(await volumeExists(orphan)));
    await dialog.getByRole('button', { name: 'Close' }).click();
    await item.waitFor({ state: 'detached', timeout: 15_000 });
  });

  test('stopped: the card drops CPU and memory at once, not at the next sample; its disk stays', async () => {
    const usage = card().getByTestId('usage');
    await page.waitForFunction(
      (n) => /memory/.test(document.querySelector(`#instance-${n} [data-testid=usage]`)?.textContent ?? ''),
      name,
      { timeout: 15_000 },
    );
    // Hidden: no sample is asked for, so what the card shows after the stop comes from the sample taken running.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const stop = await runAxiJson(['stop', name], { env });
    assert.equal(stop.code, 0, stop.stderr);
    await page.locator(`#instance-${name}.status-stopped`).waitFor({ timeout: 15_000 });
    assert.match(await usage.innerText(), /^disk [\d.]+ MiB$/);
  });
});
