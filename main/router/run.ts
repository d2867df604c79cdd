/**
 * The router as the desktop app, `axi serve` and `axi router` run it: fed by the controller's
 * overview, on the chosen port, its state in `$AXI_HOME/router.json` for the CLI's URLs.
 */
import type { AppController } from '../api/controller/controllerTypes';
import type { Settings } from '../shared/schemas/settings';
import { OverviewFeed } from './feed';
import { routeUrl } from '../core/routes/routes';
import { startRouter } from './server';
import { chosenPort, clearRouterState, httpsPortFor, writeRouterState } from '../core/routes/routerState';
import { parseIdleTime } from '../shared/schemas/idlePolicy';
import { WakeGate } from './wake';
import { cliTunnelReader } from '../docker/remote/cliTunnels';

export interface RouterRun {
  port: number;
  /** With TLS on port 80: 443 too, where it could listen there. */
  httpsPort?: number;
  /** The loopbacks it listens on. */
  addresses: string[];
  tls: boolean;
  /** Why this port (the setting, --port, or whether 80 was allowed). */
  why: string;
  close(): Promise<void>;
}

/** How long a request waits for a sleeping instance to wake: AXI_WAKE_TIMEOUT (`90s`, `2m`), else 2 minutes. */
export function wakeTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  return (env.AXI_WAKE_TIMEOUT && parseIdleTime(env.AXI_WAKE_TIMEOUT)) || 120_000;
}

/** The wake gate over the controller's idle check, fed the card's step lines. */
function wakeGate(c: Pick<AppController, 'idle' | 'on'>): { gate: WakeGate; off: () => void } {
  const gate = new WakeGate(c.idle, wakeTimeoutMs());
  const off = c.on('progress', (e) => gate.progress(e.instance, e.line));
  return { gate, off };
}

export async function runRouter(p: {
  controller: Pick<AppController, 'current' | 'on' | 'refresh'> & Partial<Pick<AppController, 'idle'>>;
  home: string;
  settings: Pick<Settings, 'routerPort' | 'routerTls'>;
  /** `axi router --port`, tests: over the setting. */
  port?: number;
}): Promise<RouterRun> {
  const feed = new OverviewFeed();
  feed.update(await p.controller.current());
  const offOverview = p.controller.on('overview', (o) => feed.update(o));
  const idle = p.controller.idle;
  const wake = idle ? wakeGate({ idle, on: p.controller.on }) : undefined;
  const tunnels = cliTunnelReader(p.home);
  const unsubscribe = () => (offOverview(), wake?.off(), tunnels.close());
  const { port: asked, why } = chosenPort(p.settings, p.port);
  const httpsPort = httpsPortFor(asked, p.settings.routerTls);
  const tls = p.settings.routerTls ? (require('./tls') as typeof import('./tls')).secureServer(p.home) : undefined;
  let router;
  try {
    router = await startRouter({
      feed,
      port: asked,
      cliTunnel: tunnels.open,
      ...(tls ? { tls: await tls } : {}),
      ...(httpsPort === undefined ? {} : { httpsPort }),
      ...(wake ? { wake: wake.gate } : {}),
    });
  } catch (err) {
    unsubscribe();
    throw err;
  }
  if (idle) idle.router = { sockets: () => router.upstreamPorts(), usage: () => router.usage() };
  const { port, addresses } = router;
  const https = router.httpsPort === undefined ? {} : { httpsPort: router.httpsPort };
  const state = {
    pid: process.pid,
    port,
    addresses,
    tls: router.tls,
    ...https,
    why,
    startedAt: new Date().toISOString(),
  };
  await writeRouterState(p.home, state);
  p.controller.refresh(); // the window's names appear now that they lead somewhere
  return {
    port,
    addresses,
    ...https,
    tls: router.tls,
    why,
    close: async () => {
      unsubscribe();
      await router.close();
      await clearRouterState(p.home);
      p.controller.refresh();
    },
  };
}

/**
 * The router beside the window's server (the desktop app, `axi serve`): started with the controller,
 * never fatal. A port already taken (another app or `axi serve` runs one) is one line, and the rest runs.
 */
export async function routerBeside(p: {
  controller: Pick<AppController, 'current' | 'on' | 'refresh'> & Partial<Pick<AppController, 'idle'>>;
  home: string;
  settings: Pick<Settings, 'routerPort' | 'routerTls'>;
  port?: number;
  out: (line: string) => void;
}): Promise<RouterRun | undefined> {
  try {
    const r = await runRouter(p);
    const urls = [routeUrl('NAME.REPO.localhost', { port: r.port, tls: false })];
    if (r.tls) urls.push(routeUrl('NAME.REPO.localhost', r));
    p.out(`Router: ${urls.join(' and ')} (${r.why}); axi router status says more`);
    return r;
  } catch (err) {
    p.out(`Router not started: ${(err as Error).message}`);
    return undefined;
  }
}
