import { existsSync } from 'node:fs';
import path from 'node:path';
import { setupController } from '../api/controller/controller';
import type { Backend } from '../docker/lifecycle/backend';
import { AxiError } from '../shared/errors';
import { startServer } from './server';

/** The built renderer, dist/renderer: beside dist/main (compiled) or beside dist/axi.cjs (the bundled CLI); undefined when not built. */
export const RENDERER_DIR: string | undefined = [
  path.resolve(__dirname, '..', '..', 'renderer'),
  path.resolve(__dirname, 'renderer'),
].find((d) => existsSync(path.join(d, 'index.html')));

export async function serve(
  backend: Backend,
  opts: { port: number; out: (t: string) => void; recheckMs?: number; router?: boolean; routerPort?: number },
): Promise<void> {
  const staticDir = RENDERER_DIR;
  if (!staticDir)
    throw new AxiError('NOT_FOUND', 'the dashboard is not built (dist/renderer/index.html missing); run npm run build');
  const recheckMs = opts.recheckMs ?? (Number(process.env.AXI_RECHECK_MS) || undefined);
  const controller = setupController({ backend, recheckMs });
  // A start or a port that fails must end the command: the controller's timers and watchers would keep it alive.
  await controller.start().catch((err: unknown) => {
    controller.stop();
    throw err;
  });
  const server = await startServer({ controller, staticDir, port: opts.port }).catch((err: unknown) => {
    controller.stop();
    throw err;
  });
  opts.out(`AegisX Instances dashboard: ${server.url}`);
  opts.out('Loopback only; over SSH: ssh -L PORT:127.0.0.1:PORT host, then open the URL above. Ctrl-C stops.');
  const { routerBeside } = require('../router/run') as typeof import('../router/run');
  const router =
    opts.router === false
      ? undefined
      : await routerBeside({
          controller,
          home: backend.service.paths.home,
          settings: backend.settings.read().settings,
          ...(opts.routerPort !== undefined ? { port: opts.routerPort } : {}),
          out: opts.out,
        });
  await new Promise<void>((resolve) => {
    const stop = () => {
      controller.stop();
      void Promise.all([server.close(), router?.close()]).then(() => resolve());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
