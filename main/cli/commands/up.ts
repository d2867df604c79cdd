import { refOrCheckout } from '../../core/checkout';
import { AxiError } from '../../core/errors';
import { JSON_OPTION, OPTIONAL_NAME_ARG, progress, type CliCommand } from '../command';
import { statusJson, statusLine } from '../format';

export const command: CliCommand<[name: string | undefined], { wait?: boolean; timeout: string; json?: boolean }> = {
  name: 'up',
  description: "start an instance's containers (instance file, else the folder's docker-compose.yml)",
  args: [OPTIONAL_NAME_ARG],
  options: [
    { flags: '--wait', description: 'return once every service with a healthcheck is healthy' },
    { flags: '--timeout <seconds>', description: 'give up waiting after this long', default: '180' },
    JSON_OPTION,
  ],
  async run({ backend, io, json }, [name], o) {
    const timeoutMs = Number(o.timeout) * 1000;
    if (!(timeoutMs > 0))
      throw new AxiError('BAD_INPUT', `--timeout ${JSON.stringify(o.timeout)} is not a positive number of seconds`);
    const s = await backend().lifecycle.up(await refOrCheckout(backend().service, name), {
      wait: o.wait,
      timeoutMs,
      onOutput: progress(io, o.json),
    });
    if (o.json) json(statusJson(s));
    else io.out(statusLine(s));
  },
};
