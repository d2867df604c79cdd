import { refOrCheckout } from '../../../core/instances/records/checkout';
import { AxiError } from '../../../shared/errors';
import { instanceId } from '../../../core/registry/instanceRef';
import type { InstanceService } from '../../../core/instances/service';
import type { TunnelPlan } from '../../../docker/remote/tunnel';
import { OPTIONAL_NAME_ARG, type CliCommand, type Io } from '../../command';
import { table } from '../../../api/report/format';

/** A tcp:// engine has no SSH to forward through: say so, and where the ports answer instead. */
function printDirect(io: Io, plan: Extract<TunnelPlan, { kind: 'direct' }>): void {
  io.out(`${plan.name} is on ${plan.endpoint}, which has no SSH: nothing to tunnel. Its ports answer on ${plan.host}:`);
  io.out(table(['NAME', 'URL'], Object.entries(plan.urls)));
  if (plan.bind !== '0.0.0.0')
    io.out(
      `(published on ${plan.bind} there: only that host reaches them; axi setup FOLDER --bind 0.0.0.0 publishes them on its network)`,
    );
}

/** `--keep on|off`: the toggle the desktop app and `axi serve` follow; nothing is opened here. */
async function setKeep(io: Io, service: InstanceService, ref: string, value: string): Promise<void> {
  if (value !== 'on' && value !== 'off')
    throw new AxiError('BAD_INPUT', `--keep ${JSON.stringify(value)} is not on or off`);
  const rec = await service.find(ref);
  const { setTunnelToggle } =
    require('../../../docker/remote/keptTunnels') as typeof import('../../../docker/remote/keptTunnels');
  await setTunnelToggle(service.paths.home, instanceId(rec), value === 'on');
  io.out(
    `${await service.label(rec)}: the desktop app and axi serve ${value === 'on' ? 'keep a tunnel open while it runs on an SSH engine' : 'keep no tunnel open'}`,
  );
}

export const command: CliCommand<[name: string | undefined], { keep?: string }> = {
  name: 'tunnel',
  description: "forward a remote instance's published ports to the same ports here over SSH, until Ctrl-C",
  args: [OPTIONAL_NAME_ARG],
  options: [
    {
      flags: '--keep <on|off>',
      description: 'whether the desktop app and axi serve keep its tunnel open (default on for SSH engines)',
    },
  ],
  async run({ backend, io }, [name], o) {
    const { lifecycle, service } = backend();
    const ref = await refOrCheckout(service, name);
    if (o.keep !== undefined) return setKeep(io, service, ref, o.keep);
    // Loaded here, not with the CLI: ssh's modules are no cost to the other commands' start-up.
    const { engineHost } = require('../../../docker/engine/engines') as typeof import('../../../docker/engine/engines');
    const { assertLocalPortsFree, planTunnel } =
      require('../../../docker/remote/tunnel') as typeof import('../../../docker/remote/tunnel');
    const { openTunnel } =
      require('../../../docker/remote/sshTunnel') as typeof import('../../../docker/remote/sshTunnel');
    const plan = await planTunnel(lifecycle, ref, (e) => engineHost(e));
    if (plan.kind === 'direct') return printDirect(io, plan);
    await assertLocalPortsFree(plan);
    const id = instanceId(await service.find(ref));
    const tunnel = await openTunnel(plan);
    // The router sends the instance's names through it while it is open (its page says to run this).
    const { markCliTunnel } =
      require('../../../docker/remote/cliTunnels') as typeof import('../../../docker/remote/cliTunnels');
    const unmark = markCliTunnel(
      service.paths.home,
      id,
      plan.forwards.map((f) => f.port),
    );
    // Ctrl-C (the terminal signals ssh too) or a SIGTERM: close ssh, then exit 0.
    const stop = () => void tunnel.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const rows = plan.forwards.map((f) => [f.service, `127.0.0.1:${f.port}`]);
    // One write: whoever reads the output sees the ports with the line saying it is open.
    io.out(
      `tunnel to ${plan.name} on ${plan.endpoint} is open (Ctrl-C closes it):\n${table(['SERVICE', 'HERE'], rows)}`,
    );
    const end = await tunnel.ended.finally(unmark);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (!end.closed) throw new AxiError('DOCKER', `the tunnel to ${plan.endpoint} closed: ${end.reason}`);
  },
};
