import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../app/browserHelpers';
import { holdPort, runAxi, runAxiJson, sandbox, stopChild } from '../helpers';
import { get, startRouterCli, until } from './routerHelpers';
import { removeAll, shopProject, upAll } from './shopProject';

/** A page that logs in (`?user=NAME` sets a session cookie) and says whose session it sees. */
const LOGIN_CGI = `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n'
case "$QUERY_STRING" in
  user=*) printf 'Set-Cookie: sid=%s; Path=/; HttpOnly\\r\\n\\r\\nlogged in\\n' "\${QUERY_STRING#user=}";;
  *) printf '\\r\\nsession: %s host: %s\\n' "\${HTTP_COOKIE:-none}" "$HTTP_HOST";;
esac
`;
/** `shop` (the main checkout) and its worktree `shop-feature-x`: one project, two instances. */
const makeShop = (parent: string) =>
  shopProject(parent, { 'site/index.html': '<!doctype html><title>shop</title>', 'site/cgi-bin/login': LOGIN_CGI }, [
    'site/cgi-bin/login',
  ]);

describe('one name per instance through the router (real engine, real Chromium)', () => {
  const sb = sandbox();
  const { main, worktree } = makeShop(path.join(sb.dir, 'work'));
  let router: { child: ChildProcess; port: number };
  let browser: Browser;
  let ports: Record<string, number> = {};
  const url = (host: string, p: string) => `http://${host}:${router.port}${p}`;

  before(async () => {
    ports = await upAll(sb.env, [main, worktree]);
    router = await startRouterCli(sb.env);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stopChild(router?.child);
    await removeAll(sb.env, [worktree, main]);
    sb.cleanup();
  });

  test('axi urls: the name first, the port URL beside it', async () => {
    const u = await runAxiJson(['urls', worktree], { env: sb.env });
    assert.equal(u.json.names.APP_URL, `http://feature-x.shop.localhost:${router.port}`);
    assert.equal(u.json.urls.WEB_URL, `http://localhost:${ports.feature_x}`);
    const text = await runAxi(['urls', worktree], { env: sb.env });
    assert.match(
      text.stdout.split('\n')[1]!,
      /^APP_URL\s+http:\/\/feature-x\.shop\.localhost:\d+\s+http:\/\/localhost:\d+$/,
    );
    const env = await runAxi(['env', worktree], { env: sb.env });
    assert.match(env.stdout, new RegExp(`^export APP_URL=http://feature-x.shop.localhost:${router.port}$`, 'm'));
  });

  test('each instance keeps its own session by name; by localhost ports the two sessions collide', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const session = async (u: string) => (await (await page.goto(u))!.text()).trim();
    await until(
      'the router knows both',
      () => get(router.port, 'feature-x.shop.localhost', '/cgi-bin/login'),
      (r) => r.status === 200,
    );
    // By name: alice on the main checkout, bob on the worktree; each still sees its own.
    await page.goto(url('shop.localhost', '/cgi-bin/login?user=alice'));
    await page.goto(url('feature-x.shop.localhost', '/cgi-bin/login?user=bob'));
    assert.match(await session(url('shop.localhost', '/cgi-bin/login')), /^session: sid=alice host: shop\.localhost:/);
    assert.match(await session(url('feature-x.shop.localhost', '/cgi-bin/login')), /^session: sid=bob host: feature-x/);
    // By port: the same two logins on localhost, and the second overwrites the first's session.
    await page.goto(`http://localhost:${ports.shop}/cgi-bin/login?user=alice`);
    await page.goto(`http://localhost:${ports.feature_x}/cgi-bin/login?user=bob`);
    assert.match(await session(`http://localhost:${ports.shop}/cgi-bin/login`), /^session: sid=bob /, 'collided');
    await ctx.close();
  });

  test('an unknown name: a 404 listing both running instances by name, never one of them', async () => {
    const both = [
      `href="http://shop.localhost:${router.port}"`,
      `href="http://feature-x.shop.localhost:${router.port}"`,
    ];
    const r = await until(
      'the listing',
      () => get(router.port, 'feature-y.shop.localhost', '/cgi-bin/login'),
      (x) => both.every((h) => x.body?.includes(h)),
      10_000,
    );
    assert.equal(r.status, 404);
    assert.doesNotMatch(r.body, /session:/);
  });

  test('a stopped instance: a page with its start command; a reassignment keeps its name working', async () => {
    assert.equal((await runAxi(['stop', worktree], { env: sb.env })).code, 0);
    const stopped = await until(
      'the stopped page',
      () => get(router.port, 'feature-x.shop.localhost'),
      (r) => r.status === 503,
    );
    assert.match(stopped.body, /feature_x is not running/);
    assert.match(stopped.body, /<code>axi up feature_x<\/code>/);
    // Another program takes its port while it is stopped: the reassignment has to move it.
    const holder = await holdPort(ports.feature_x!, '127.0.0.1');
    const moved = await runAxiJson(['setup', worktree, '--reassign'], { env: sb.env });
    await holder.stop();
    assert.equal(moved.code, 0, moved.stderr);
    assert.notEqual(moved.json.ports.web, ports.feature_x, 'a new port');
    assert.equal((await runAxi(['up', worktree], { env: sb.env })).code, 0);
    const r = await until(
      'the name after the reassignment',
      () => get(router.port, 'feature-x.shop.localhost', '/cgi-bin/login'),
      (x) => x.status === 200,
    );
    assert.match(r.body, /^session: none host: feature-x\.shop\.localhost/);
  });
});
