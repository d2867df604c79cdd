import { refOrCheckout } from '../../../core/instances/records/checkout';
import { JSON_OPTION, OPTIONAL_NAME_ARG, progress, type CliCommand } from '../../command';
import { statusJson, statusLine } from '../../../api/report/format';

export const command: CliCommand<[name: string | undefined], { volumes?: boolean; json?: boolean }> = {
  name: 'down',
  description: 'remove containers and network; volumes only with --volumes',
  args: [OPTIONAL_NAME_ARG],
  options: [{ flags: '--volumes', description: "also delete the instance's volumes (its data)" }, JSON_OPTION],
  async run({ backend, io, json }, [name], o) {
    const s = await backend().lifecycle.down(await refOrCheckout(backend().service, name), {
      volumes: o.volumes,
      onOutput: progress(io, o.json),
    });
    if (o.json) json(statusJson(s));
    else io.out(statusLine(s));
  },
};
