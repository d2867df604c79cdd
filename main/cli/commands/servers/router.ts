import { AxiError } from '../../../shared/errors';
import type { Backend } from '../../../docker/lifecycle/backend';
import { JSON_OPTION, type CliCommand, type Io } from '../../command';

type Opts = { port?: string; json?: boolean; remove?: boolean; file?: string };
const ACTIONS = ['run', 'status', 'tls', 'trust', 'untrust', 'hosts'] as const;

function portOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new AxiError('BAD_INPUT', `--port ${JSON.stringify(text)} is not a port number`);
  return n;
}

/** `axi router`: the router alone (no window), fed by its own controller, until Ctrl-C. */
async function runAlone(b: Backend, io: Io, port: number | undefined): Promise<void> {
  const { setupController } =
    require('../../../api/controller/controller') as typeof import('../../../api/controller/controller');
  const { runRouter } = require('../../../router/run') as typeof import('../../../router/run');
  // Routing only: worktrees are followed by the app or `axi serve`, not by this.
  const recheckMs = Number(process.env.AXI_RECHECK_MS) || undefined; // also the idle check's pace
  const controller = setupController({ backend: b, followWorktrees: false, recheckMs });
  await controller.start();
  const r = await runRouter({
    controller,
    home: b.service.paths.home,
    settings: b.settings.read().settings,
    ...(port !== undefined ? { port } : {}),
  }).catch((err: unknown) => {
    controller.stop();
    throw err;
  });
  io.out(
    `Router on 127.0.0.1:${r.port}${r.tls ? ' (HTTP and HTTPS)' : ''} (${r.why}): http://NAME.REPO.localhost${r.port === 80 ? '' : `:${r.port}`}`,
  );
  io.out("axi urls NAME shows an instance's names. Ctrl-C stops.");
  await new Promise<void>((resolve) => {
    const stop = () => void r.close().then(() => (controller.stop(), resolve()));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * A router that runs reads the TLS setting when it starts: where the running one serves otherwise, the setting is
 * said with when it applies (never "HTTPS: on" over a router serving HTTP only).
 */
function tlsPending(home: string, wanted: boolean): string {
  const { runningRouter } =
    require('../../../core/routes/routerState') as typeof import('../../../core/routes/routerState');
  const running = runningRouter(home);
  if (!running || Boolean(running.tls) === wanted) return '';
  const serves = running.tls ? 'still serves HTTPS' : 'serves HTTP only';
  return ` (the running router ${serves}; takes effect when the router restarts: restart axi serve, axi router or the app)`;
}

async function status(b: Backend, io: Io, json: (v: unknown) => void, asJson: boolean): Promise<void> {
  const { runningRouter, chosenPort, mayBind } =
    require('../../../core/routes/routerState') as typeof import('../../../core/routes/routerState');
  const { recordRoutes } =
    require('../../../core/routes/routeLinks') as typeof import('../../../core/routes/routeLinks');
  const { caFiles } = require('../../../router/tls') as typeof import('../../../router/tls');
  const settings = b.settings.read().settings;
  const running = runningRouter(b.service.paths.home);
  const would = chosenPort(settings);
  const low = mayBind(80);
  const routes = await recordRoutes(await b.service.records());
  const clashes = [...routes.clashes].map(([host, ids]) => ({ host, ids }));
  const ca = caFiles(b.service.paths.home).cert;
  const value = {
    running: running ? { pid: running.pid, port: running.port, tls: running.tls, why: running.why } : null,
    port: running?.port ?? would.port,
    why: running?.why ?? would.why,
    port80: low,
    tls: settings.routerTls,
    tlsPending: running ? Boolean(running.tls) !== settings.routerTls : false,
    ca: settings.routerTls ? ca : null,
    names: routes.byHost.size,
    clashes,
  };
  if (asJson) return json(value);
  const where = value.port === 0 ? 'any free port on 127.0.0.1' : `127.0.0.1:${value.port}`;
  io.out(
    running
      ? `Running (pid ${running.pid}) on ${where}: ${running.why}`
      : `Not running; it would listen on ${where}: ${would.why}`,
  );
  io.out(`Port 80: ${low.ok ? `allowed (${low.why}), so URLs carry no port` : low.why}`);
  const pending = tlsPending(b.service.paths.home, settings.routerTls);
  io.out(
    settings.routerTls
      ? `HTTPS: on${pending}; CA ${ca} (NODE_EXTRA_CA_CERTS, curl --cacert)`
      : `HTTPS: off${pending || ' (axi router tls on)'}`,
  );
  io.out(`${routes.byHost.size} names${running ? '' : '; the desktop app, axi serve or axi router runs the router'}`);
  for (const c of clashes) io.out(`Clash: ${c.host} would be ${c.ids.join(' and ')}: routed to neither`);
}

async function tls(b: Backend, io: Io, value: string | undefined): Promise<void> {
  if (value !== 'on' && value !== 'off')
    throw new AxiError('BAD_INPUT', 'say axi router tls on, or axi router tls off');
  if (value === 'off') {
    await b.settings.update({ routerTls: false });
    return io.out(
      `HTTPS off from the next router start${tlsPending(b.service.paths.home, false)} (the CA is kept; axi router untrust takes it out of trust stores)`,
    );
  }
  const { ensureCa } = require('../../../router/tls') as typeof import('../../../router/tls');
  const { files, created } = await ensureCa(b.service.paths.home);
  await b.settings.update({ routerTls: true });
  io.out(`${created ? 'Made' : 'Kept'} the router's CA: ${files.cert} (its key, 0600: ${files.key})`);
  io.out(
    `HTTPS on from the next router start${tlsPending(b.service.paths.home, true)}. Trust it: axi router trust, or NODE_EXTRA_CA_CERTS=${files.cert}, curl --cacert ${files.cert}`,
  );
}

async function hosts(b: Backend, io: Io, o: Opts): Promise<void> {
  const h = require('../../../router/hosts') as typeof import('../../../router/hosts');
  const file = o.file ?? h.HOSTS_FILE;
  if (o.remove)
    return io.out(
      (await h.removeHostsBlock(file)) ? `Removed the router's block from ${file}` : `${file} has no router block`,
    );
  const { recordRoutes } =
    require('../../../core/routes/routeLinks') as typeof import('../../../core/routes/routeLinks');
  const names = [...(await recordRoutes(await b.service.records())).byHost.keys()].sort();
  await h.writeHostsBlock(names, file);
  io.out(
    `Wrote ${names.length} names to ${file} in a marked block; axi router hosts --remove takes it out. Run it again after adding instances.`,
  );
}

export const command: CliCommand<[action: string | undefined, value: string | undefined], Opts> = {
  name: 'router',
  description:
    'the local router (http://NAME.REPO.localhost): run it alone, or status, tls on|off, trust, untrust, hosts',
  args: [
    { name: '[action]', description: `${ACTIONS.join(', ')} (default: run)` },
    { name: '[value]', description: 'for tls: on or off' },
  ],
  options: [
    {
      flags: '--port <n>',
      description: 'run: the port on 127.0.0.1 (default: the routerPort setting, else 80 where allowed, else 7080)',
    },
    JSON_OPTION,
    { flags: '--remove', description: 'hosts: take the block out of the hosts file' },
    { flags: '--file <path>', description: 'hosts: the hosts file (default /etc/hosts)' },
  ],
  async run({ backend, io, json }, [action = 'run', value], o) {
    if (!(ACTIONS as readonly string[]).includes(action))
      throw new AxiError('BAD_INPUT', `unknown router action ${JSON.stringify(action)} (known: ${ACTIONS.join(', ')})`);
    const b = backend();
    if (action === 'run') return runAlone(b, io, portOption(o.port));
    if (action === 'status') return status(b, io, json, Boolean(o.json));
    if (action === 'tls') return tls(b, io, value);
    if (action === 'hosts') return hosts(b, io, o);
    const t = require('../../../router/trust') as typeof import('../../../router/trust');
    const lines = action === 'trust' ? await t.trustCa(b.service.paths.home) : await t.untrustCa();
    for (const l of lines) io.out(l);
  },
};
