/**
 * One project, two instances, each serving its own front page (busybox httpd in the nginx stand-in): `shop` (the
 * main checkout) and its worktree `shop-feature-x`, for the suites that check which instance a name reaches.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runAxi, runAxiJson } from '../helpers';
import { makeProject } from './routerHelpers';

const COMPOSE = `services:
  web:
    image: nginx:alpine
    ports:
      - "18473:80"
    volumes:
      - ./site:/usr/share/nginx/html:ro
`;

/** What each instance's front page says. */
export const PAGE = { main: '<h1>the main checkout of shop</h1>', worktree: '<h1>the feature-x worktree of shop</h1>' };

/** `shop` and its worktree `shop-feature-x`: nginx serving `site/`, named by the router; `files` (the site) added. */
export function shopProject(
  parent: string,
  files: Record<string, string>,
  executable: string[] = [],
): { main: string; worktree: string } {
  const project = {
    'docker-compose.yml': COMPOSE,
    '.aegisx-instances.yml': 'from: docker-compose.yml\nrouter: { web: web }\n',
  };
  return makeProject(parent, 'shop', { ...project, ...files }, executable);
}

export function makeShop(parent: string): { main: string; worktree: string } {
  const made = shopProject(parent, { 'site/index.html': `<!doctype html><title>shop</title>${PAGE.main}` });
  // Each its own front page, so a test can tell which instance answered.
  writeFileSync(path.join(made.worktree, 'site', 'index.html'), `<!doctype html><title>shop</title>${PAGE.worktree}`);
  return made;
}

/** `axi setup` and `axi up` of each folder; its web port by instance name (`shop`, `feature_x`). */
export async function upAll(env: NodeJS.ProcessEnv, dirs: readonly string[]): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  for (const dir of dirs) {
    const s = await runAxiJson(['setup', dir], { env });
    assert.equal(s.code, 0, s.stderr);
    ports[s.json.name as string] = s.json.ports.web as number;
    const up = await runAxi(['up', dir], { env });
    assert.equal(up.code, 0, up.stderr);
  }
  return ports;
}

/** Removes each instance with its containers (the project has no volumes). */
export async function removeAll(env: NodeJS.ProcessEnv, dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) await runAxi(['remove', dir, '--down'], { env });
}
