import { refOrCheckout } from '../../../core/instances/records/checkout';
import { JSON_OPTION, OPTIONAL_NAME_ARG, progress, type CliCommand } from '../../command';
import { statusJson, statusLine } from '../../../api/report/format';

export const command: CliCommand<[name: string | undefined], { json?: boolean }> = {
  name: 'stop',
  description: 'stop an instance: containers stopped (not removed), volumes kept',
  args: [OPTIONAL_NAME_ARG],
  options: [JSON_OPTION],
  async run({ backend, io, json }, [name], o) {
    const s = await backend().lifecycle.stop(await refOrCheckout(backend().service, name), {
      onOutput: progress(io, o.json),
    });
    if (o.json) json(statusJson(s));
    else io.out(statusLine(s));
  },
};
