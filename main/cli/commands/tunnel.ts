import { refOrCheckout } from '../../core/checkout';
import { AxiError } from '../../core/errors';
import { engineHost } from '../../docker/engines';
import { openTunnel } from '../../docker/sshTunnel';
import { assertLocalPortsFree, planTunnel, type TunnelPlan } from '../../docker/tunnel';
import { OPTIONAL_NAME_ARG, type CliCommand, type Io } from '../command';
import { table } from '../format';

/** A tcp:// engine has no SSH to forward through: say so, and where the ports answer instead. */
function printDirect(io: Io, plan: Extract<TunnelPlan, { kind: 'direct' }>): void {
  io.out(`${plan.name} is on ${plan.endpoint}, which has no SSH: nothing to tunnel. Its ports answer on ${plan.host}:`);
  io.out(table(['NAME', 'URL'], Object.entries(plan.urls)));
  if (plan.bind !== '0.0.0.0')
    io.out(
      `(published on ${plan.bind} there: only that host reaches them; axi setup FOLDER --bind 0.0.0.0 publishes them on its network)`,
    );
}

export const command: CliCommand<[name: string | undefined], Record<string, never>> = {
  name: 'tunnel',
  description: "forward a remote instance's published ports to the same ports here over SSH, until Ctrl-C",
  args: [OPTIONAL_NAME_ARG],
  async run({ backend, io }, [name]) {
    const { lifecycle, service } = backend();
    const plan = await planTunnel(lifecycle, await refOrCheckout(service, name), (e) => engineHost(e));
    if (plan.kind === 'direct') return printDirect(io, plan);
    await assertLocalPortsFree(plan);
    const tunnel = await openTunnel(plan);
    // Ctrl-C (the terminal signals ssh too) or a SIGTERM: close ssh, then exit 0.
    const stop = () => void tunnel.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    io.out(`tunnel to ${plan.name} on ${plan.endpoint} is open (Ctrl-C closes it):`);
    io.out(
      table(
        ['SERVICE', 'HERE'],
        plan.forwards.map((f) => [f.service, `127.0.0.1:${f.port}`]),
      ),
    );
    const end = await tunnel.ended;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (!end.closed) throw new AxiError('DOCKER', `the tunnel to ${plan.endpoint} closed: ${end.reason}`);
  },
};
