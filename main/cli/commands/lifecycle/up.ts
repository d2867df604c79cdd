import { refOrCheckout } from '../../../core/instances/records/checkout';
import { AxiError } from '../../../shared/errors';
import {
  confirmed,
  JSON_OPTION,
  OPTIONAL_NAME_ARG,
  progress,
  YES_OPTION,
  type CliCommand,
  type Io,
} from '../../command';
import { statusJson, statusLine } from '../../../api/report/format';
import type { InstanceService } from '../../../core/instances/service';

export const command: CliCommand<
  [name: string | undefined],
  { wait?: boolean; timeout: string; json?: boolean; yes?: boolean }
> = {
  name: 'up',
  description: "start an instance's containers (instance file, else the folder's docker-compose.yml)",
  args: [OPTIONAL_NAME_ARG],
  options: [
    { flags: '--wait', description: 'return once every service with a healthcheck is healthy' },
    { flags: '--timeout <seconds>', description: 'give up waiting after this long', default: '180' },
    JSON_OPTION,
    { ...YES_OPTION, description: 'accept what its compose file reaches on the host without asking' },
  ],
  async run({ backend, io, json }, [name], o) {
    const timeoutMs = Number(o.timeout) * 1000;
    if (!(timeoutMs > 0))
      throw new AxiError('BAD_INPUT', `--timeout ${JSON.stringify(o.timeout)} is not a positive number of seconds`);
    const ref = await refOrCheckout(backend().service, name);
    await confirmHostAccess(backend().service, ref, io, o.yes);
    const s = await backend().lifecycle.up(ref, {
      wait: o.wait,
      timeoutMs,
      onOutput: progress(io, o.json),
    });
    if (o.json) json(statusJson(s));
    else io.out(statusLine(s));
  },
};

/** Host mounts, the Docker socket, privileged, host namespaces...: listed, and confirmed once per change of them. */
async function confirmHostAccess(service: InstanceService, ref: string, io: Io, yes: boolean | undefined) {
  const { hostAccess, acceptHostAccess } =
    require('../../../docker/compose/hostAccess') as typeof import('../../../docker/compose/hostAccess');
  const { describeReach } =
    require('../../../core/project/hostReach') as typeof import('../../../core/project/hostReach');
  const rec = await service.find(ref);
  const a = await hostAccess(service.paths.home, rec);
  if (a.accepted) return;
  io.err(
    `${a.file} reaches the host:\n${describeReach(a.items)
      .split('; ')
      .map((l) => `  ${l}`)
      .join('\n')}`,
  );
  await confirmed(io, yes, `start ${await service.label(rec)} with this access to the host?`);
  await acceptHostAccess(service.paths.home, a);
}
