import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setupController } from '../../main/api/controller/controller';
import type { NotificationView, Overview } from '../../main/shared/api/table';
import { createBackend } from '../../main/docker/lifecycle/backend';
import { composeDownAll, RUN } from '../docker/dockerHelpers';
import { runAxi, runAxiJson, sandbox, sandboxPaths } from '../helpers';
import { openDashboard, type Dashboard } from './browserHelpers';

/**
 * Main's data copied into a worktree's instance (`axi clone-data`) while main runs, watched by the window
 * (`axi serve` in Chromium) and by a controller (getOverview): main stays running throughout, its card
 * says "paused for a copy" rather than stopped or failed, and no health notification is raised.
 */
describe('a copy’s pause, as the window shows it', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const src = { dir: sb.folder(`aegisx-starter-cpsrc${RUN}`), name: `cpsrc${RUN}` };
  const tgt = { dir: sb.folder(`aegisx-starter-cptgt${RUN}`), name: `cptgt${RUN}` };
  const backend = createBackend({ env, paths: sandboxPaths(env) });
  const controller = setupController({ backend });
  let dash: Dashboard;

  before(async () => {
    for (const inst of [src, tgt]) assert.equal((await runAxiJson(['setup', inst.dir], { env })).code, 0);
    const up = await runAxi(['up', src.name, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    await controller.start();
    dash = await openDashboard(env);
  });

  after(async () => {
    await dash?.close();
    controller.stop();
    await composeDownAll([src, tgt].map((i) => [`axitest_${i.name}`, `${i.dir}/docker-compose.instance.yml`]));
    sb.cleanup();
  });

  test('main stays "Running" in getOverview and on its card, during the copy and 30 s after; no alert', async () => {
    const card = dash.page.getByRole('article', { name: `instance ${src.name}` });
    await card
      .getByTestId('status')
      .filter({ hasText: /^Running/ })
      .waitFor({ timeout: 20_000 });
    const notes: NotificationView[] = [];
    controller.on('notification', (n) => void notes.push(n));
    const seen: string[] = [];
    const wrong: string[] = [];
    let copying = true;
    const sample = async () => {
      const o = (await controller.invoke('getOverview', [])) as { ok: true; value: Overview };
      const view = o.value.instances.find((i) => i.name === src.name)!;
      const text = (await card.getByTestId('status').textContent()) ?? '';
      seen.push(text);
      if (view.status !== 'running') wrong.push(`getOverview: ${view.status} (${JSON.stringify(view.services)})`);
      if (!/^Running/.test(text)) wrong.push(`card: ${text}`);
    };
    const watcher = (async () => {
      while (copying) await sample();
    })();
    const copy = await runAxi(['clone-data', src.name, tgt.name, '--yes'], { env });
    assert.equal(copy.code, 0, copy.stderr);
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      await sample();
      await new Promise((r) => setTimeout(r, 500));
    }
    copying = false;
    await watcher;
    assert.deepEqual([...new Set(wrong)], [], `states seen: ${[...new Set(seen)].join(' | ')}`);
    const about = notes.filter((n) => n.instance === src.name);
    assert.deepEqual(about, [], 'no notification about the copied instance');
    assert.ok(
      seen.some((t) => t.includes('paused for a copy')),
      `seen: ${[...new Set(seen)].join(' | ')}`,
    );
    // Start on it, running: not a silent button.
    // force: Playwright does not press an aria-disabled button, a user does.
    await card.getByRole('button', { name: 'Start' }).click({ force: true });
    await card.getByText(`${src.name} is already running`).waitFor({ timeout: 5000 });
  });
});
