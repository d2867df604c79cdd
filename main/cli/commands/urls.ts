import { instanceOrCheckout, instanceUrls } from '../../core/checkout';
import { JSON_OPTION, OPTIONAL_NAME_ARG, type CliCommand } from '../command';
import { table } from '../format';

export const command: CliCommand<[name: string | undefined], { json?: boolean }> = {
  name: 'urls',
  description: "the instance's service URLs and connection strings",
  args: [OPTIONAL_NAME_ARG],
  options: [JSON_OPTION],
  async run({ backend, io, json }, [name], o) {
    const u = instanceUrls(await instanceOrCheckout(backend().service, name));
    if (o.json) return json(u);
    io.out(table(['NAME', 'URL'], Object.entries(u.urls)));
  },
};
