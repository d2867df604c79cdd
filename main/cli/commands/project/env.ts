import { exportLines, instanceOrCheckout } from '../../../core/instances/records/checkout';
import { envWithName } from '../../../router/links';
import { WAKE_OPTION, wakeIfAsleep } from '../../wake';
import { JSON_OPTION, OPTIONAL_NAME_ARG, type CliCommand } from '../../command';

export const command: CliCommand<[name: string | undefined], { json?: boolean; wake?: boolean }> = {
  name: 'env',
  description:
    'the instance\'s variables as in its .env.local, the port URLs of `axi urls` it lacks, and APP_URL (its name on the router), as export lines: eval "$(axi env)"',
  args: [OPTIONAL_NAME_ARG],
  options: [JSON_OPTION, WAKE_OPTION],
  async run({ backend, io, json }, [name], o) {
    const b = backend();
    const rec = await instanceOrCheckout(b.service, name);
    await wakeIfAsleep(b, rec, io, o.wake);
    const env = await envWithName(b, rec);
    if (o.json) return json(env);
    io.out(exportLines(env.variables));
  },
};
