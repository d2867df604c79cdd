import { AxiError } from '../../../shared/errors';
import type { CliCommand } from '../../command';

export const command: CliCommand<[], { port: string; routerPort?: string; router?: boolean }> = {
  name: 'serve',
  description: 'the dashboard in a browser: loopback only, guarded by the token in the printed URL',
  options: [
    { flags: '--port <n>', description: 'port on 127.0.0.1 (0: any free one)', default: '7420' },
    {
      flags: '--router-port <n>',
      description: "the router's port (default: the routerPort setting, else 80 where allowed, else 7080)",
    },
    { flags: '--no-router', description: 'do not run the router (http://NAME.REPO.localhost)' },
  ],
  async run({ backend, io }, _args, opts) {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new AxiError('BAD_INPUT', `--port ${JSON.stringify(opts.port)} is not a port number`);
    const { serve } = require('../../../serve/serveCommand') as typeof import('../../../serve/serveCommand');
    const routerPort = opts.routerPort === undefined ? undefined : Number(opts.routerPort);
    if (routerPort !== undefined && (!Number.isInteger(routerPort) || routerPort < 0 || routerPort > 65535))
      throw new AxiError('BAD_INPUT', `--router-port ${JSON.stringify(opts.routerPort)} is not a port number`);
    await serve(backend(), {
      port,
      out: io.out,
      router: opts.router !== false,
      ...(routerPort !== undefined ? { routerPort } : {}),
    });
  },
};
