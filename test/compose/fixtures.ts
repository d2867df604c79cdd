import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A project that is not AegisX: a web server with a hard-coded container_name
 * and a named volume, and a database with a healthcheck, published on fixed ports.
 */
export const SHOP_COMPOSE = (webPort: number, dbPort: number, tag = 'shop') => `services:
  web:
    image: nginx:alpine
    container_name: ${tag}-web
    ports:
      - target: 80
        published: ${webPort}
    volumes:
      - site:/usr/share/nginx/html
      - ./static:/srv/static:ro
    depends_on: [db]
  db:
    image: postgres:15-alpine
    container_name: ${tag}-db
    environment:
      POSTGRES_PASSWORD: secret
    ports:
      - "127.0.0.1:${dbPort}:5432"
    volumes:
      - dbdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 1s
      timeout: 3s
      retries: 30
volumes:
  site: {}
  dbdata: {}
`;

export const CONFIG = 'prefix: shop\nfrom: docker-compose.yml\n';

/** `shop` (main worktree, committed) and a linked worktree `shop-feature-x` beside it. */
export function makeShop(
  parent: string,
  webPort: number,
  dbPort: number,
  name = 'shop',
  withConfig = true,
): { main: string; worktree: string } {
  const main = path.join(parent, name);
  mkdirSync(path.join(main, 'static'), { recursive: true });
  writeFileSync(path.join(main, 'docker-compose.yml'), SHOP_COMPOSE(webPort, dbPort, name));
  if (withConfig) writeFileSync(path.join(main, '.aegisx-instances.yml'), CONFIG);
  writeFileSync(path.join(main, 'static', 'hello.txt'), 'hi\n');
  const git = (...args: string[]) => execFileSync('git', ['-C', main, ...args], { stdio: 'pipe' });
  execFileSync('git', ['init', '-q', '-b', 'main', main]);
  git('add', '.');
  git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-qm', 'shop');
  const worktree = path.join(parent, `${name}-feature-x`);
  git('worktree', 'add', '-q', '-b', 'feature-x', worktree);
  return { main, worktree };
}
