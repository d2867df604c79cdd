import { checkoutInstance } from '../../../core/instances/records/checkout';
import { AxiError } from '../../../shared/errors';
import { instanceId } from '../../../core/registry/instanceRef';
import type { InstanceRecord } from '../../../core/registry/record';
import type { InstanceService } from '../../../core/instances/service';
import { OPTIONAL_NAME_ARG, rawOutput, type CliCommand } from '../../command';

/**
 * `axi logs` is this checkout's instance; `axi logs X` is instance X, or, when no instance is X and
 * this is a checkout, its service X; `axi logs NAME SERVICE` as before.
 */
async function target(
  service: InstanceService,
  first: string | undefined,
  second: string | undefined,
): Promise<{ rec: InstanceRecord; svc: string | undefined }> {
  if (first === undefined) return { rec: await checkoutInstance(service), svc: undefined };
  try {
    return { rec: await service.find(first), svc: second };
  } catch (err) {
    if (second !== undefined || !(err instanceof AxiError && err.code === 'NOT_FOUND')) throw err;
    const here = await checkoutInstance(service).catch(() => undefined);
    if (!here) throw err;
    return { rec: here, svc: first };
  }
}

export const command: CliCommand<
  [name: string | undefined, service: string | undefined],
  { follow?: boolean; tail: string; raw?: boolean }
> = {
  name: 'logs',
  description: "print (or follow) an instance's logs",
  args: [OPTIONAL_NAME_ARG, { name: '[service]', description: 'one service only' }],
  options: [
    { flags: '--follow', description: 'keep printing new lines' },
    { flags: '--tail <n>', description: 'lines of history', default: '100' },
    { flags: '--raw', description: "the containers' bytes as they are (on a terminal, controls are shown escaped)" },
  ],
  async run({ backend, io }, [name, service], o) {
    if (o.raw) rawOutput.on = true;
    const { rec, svc } = await target(backend().service, name, service);
    const ctl = new AbortController();
    process.once('SIGINT', () => ctl.abort());
    await backend().lifecycle.logs(instanceId(rec), {
      service: svc,
      follow: o.follow,
      tail: Number(o.tail) || 100,
      signal: ctl.signal,
      onLine: (line, s) => io.out(svc ? line : `${s.padEnd(9)}| ${line}`),
    });
  },
};
