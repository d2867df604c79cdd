import { refOrCheckout } from '../../../core/instances/records/checkout';
import { JSON_OPTION, OPTIONAL_NAME_ARG, type CliCommand } from '../../command';
import { statusReport } from '../../../api/report/statusReport';

export const command: CliCommand<[name: string | undefined], { json?: boolean }> = {
  name: 'status',
  description: "one instance's status per service, with its CPU %, memory and disk",
  args: [OPTIONAL_NAME_ARG],
  options: [JSON_OPTION],
  async run({ backend, io, json }, [name], opts) {
    const e = backend();
    const r = await statusReport(e, await refOrCheckout(e.service, name), io.err);
    if (opts.json) return json(r.json);
    io.out(r.text);
  },
};
