import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchChromium } from '../app/browserHelpers';
import { removeOwned, RUN } from '../docker/dockerHelpers';
import { AXI_BIN, runAxi, runAxiJson, sandbox, stopChild } from '../helpers';
import { get, makeProject, until } from './routerHelpers';

/** Our own tag of nginx, removed to make the wake fail without touching anyone's image. */
const WEB_REPO = 'axi-wakefail-web';
const WEB_IMAGE = `${WEB_REPO}:${RUN}`;
const FILES = {
  'docker-compose.yml': `services:\n  web:\n    image: ${WEB_IMAGE}\n    ports: ["18473:80"]\n`,
  '.aegisx-instances.yml': 'from: docker-compose.yml\nrouter: { web: web }\nidle: 3s\n',
};

/** `axi serve` with its router on a free port; resolves with the dashboard's URL and the router's port. */
function serveWithRouter(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; router: number }> {
  const child = spawn(process.execPath, [AXI_BIN, 'serve', '--port', '0', '--router-port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const look = (d: Buffer) => {
      out += d.toString();
      const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(out)?.[1];
      const router = /Router: http:\/\/NAME\.REPO\.localhost:(\d+)/.exec(out)?.[1];
      if (url && router) resolve({ child, url, router: Number(router) });
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.once('exit', (code) => reject(new Error(`axi serve exited ${code}: ${out}`)));
  });
}

describe('a wake that fails is said on the card, not only to the request (real engine, real Chromium)', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = {
    ...sb.env,
    AXI_PREFIX: `axwf${RUN}`,
    AXI_RECHECK_MS: '300',
    AXI_WAKE_TIMEOUT: '60s',
  };
  const { worktree } = makeProject(path.join(sb.dir, 'work'), 'wakefail', FILES);
  let serve: { child: ChildProcess; url: string; router: number } | undefined;

  before(async () => {
    execFileSync('docker', ['tag', 'nginx:alpine', WEB_IMAGE]);
    const s = await runAxiJson(['setup', worktree], { env });
    assert.equal(s.code, 0, s.stderr);
    const up = await runAxi(['up', worktree, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
    serve = await serveWithRouter(env);
  });
  after(async () => {
    await stopChild(serve?.child);
    await removeOwned(env);
    execFileSync('docker', ['rmi', '-f', WEB_IMAGE], { stdio: 'ignore' });
    sb.cleanup();
  });

  test('asleep, its image gone: the request gets a 504 and the card says the start failed and why', async () => {
    await until(
      'asleep',
      async () =>
        ((await runAxiJson(['list'], { env })).json as { folder: string; status: string }[]).find(
          (i) => i.folder === worktree,
        )?.status,
      (s) => s === 'asleep',
      30_000,
    );
    const project = ((await runAxiJson(['status', worktree], { env })).json as { project: string }).project;
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]);
    for (const id of ids.toString().split('\n').filter(Boolean)) execFileSync('docker', ['rm', '-f', id]);
    execFileSync('docker', ['rmi', '-f', WEB_IMAGE], { stdio: 'ignore' });

    const r = await get(serve!.router, 'feature-x.wakefail.localhost');
    assert.equal(r.status, 504);
    assert.match(r.body, /^waking feature_x failed while /);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(serve!.url);
      const card = page.locator('[data-instance]').filter({ hasText: 'feature_x' }).first();
      await card.waitFor();
      // The start's own error, in place on the card (what Start would have said), naming the missing image.
      await card.getByText(new RegExp(WEB_REPO)).first().waitFor({ timeout: 20_000 });
      assert.doesNotMatch((await card.innerText()).toLowerCase(), /asleep · /, 'not shown as quietly asleep');
    } finally {
      await browser.close();
    }
  });
});
