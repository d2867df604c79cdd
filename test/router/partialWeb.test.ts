import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAxi, runAxiJson, sandbox, stopChild } from '../helpers';
import { get, makeProject, startRouterCli, until } from './routerHelpers';

const COMPOSE = `services:
  web:
    image: nginx:alpine
    entrypoint: ["sh", "-c", "mkdir -p /w && echo '<h1>the web service</h1>' > /w/index.html && exec busybox httpd -f -p 80 -h /w"]
    stop_signal: SIGKILL
    ports:
      - "18476:80"
  cache:
    image: redis:7-alpine
`;

/**
 * The new-user trial's fault: fix_login partial (web stopped, the rest running) while another program (python's
 * http.server) held web's port, and its name answered with that program's directory listing.
 */
describe('a partly running instance whose web is down, its port held by another program (real engine)', () => {
  const sb = sandbox();
  const { worktree } = makeProject(path.join(sb.dir, 'work'), 'shop', {
    'docker-compose.yml': COMPOSE,
    '.aegisx-instances.yml': 'from: docker-compose.yml\nrouter: { web: web }\n',
  });
  let router: { child: ChildProcess; port: number } | undefined;
  let python: ChildProcess | undefined;
  let project = '';
  let web = 0;

  before(async () => {
    const s = await runAxiJson(['setup', worktree], { env: sb.env });
    assert.equal(s.code, 0, s.stderr);
    ({ project } = s.json as { project: string });
    web = (s.json.ports as Record<string, number>).web!;
    const up = await runAxi(['up', worktree], { env: sb.env });
    assert.equal(up.code, 0, up.stderr);
    router = await startRouterCli(sb.env);
  });
  after(async () => {
    await stopChild(python);
    await stopChild(router?.child);
    await runAxi(['remove', worktree, '--down'], { env: sb.env });
    sb.cleanup();
  });

  /** The name through the router, within 3 s (a request left hanging fails the test, not the run). */
  const ask = () =>
    Promise.race([
      get(router!.port, 'feature-x.shop.localhost'),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3000)),
    ]);

  test(
    "its name gets 'web of feature_x is not running' with the start command, never the other program",
    { timeout: 90_000 },
    async () => {
      await until(
        'the name',
        () => get(router!.port, 'feature-x.shop.localhost'),
        (r) => r.status === 200,
      );
      const filter = ['--filter', `label=com.docker.compose.project=${project}`, '--filter'];
      const id = execFileSync('docker', ['ps', '-q', ...filter, 'label=com.docker.compose.service=web']).toString();
      execFileSync('docker', ['stop', id.trim()]);
      python = spawn('python3', ['-m', 'http.server', String(web), '--bind', '127.0.0.1'], { cwd: sb.dir });
      await until(
        'python on the port',
        () => fetch(`http://127.0.0.1:${web}/`).then((r) => r.status),
        (s) => s === 200,
      );
      const r = await until('the page', ask, (x) => x.status === 503);
      assert.match(r.body, /web of feature_x is not running/);
      assert.match(r.body, /<code>axi up feature_x<\/code>/);
      assert.doesNotMatch(r.body, /Directory listing/, "not python's answer");
      // And it stays so: never python's listing while the overview says web is down.
      for (let i = 0; i < 5; i++) assert.equal((await ask()).status, 503);
    },
  );
});
