import { exportLines } from '../../../core/instances/records/checkout';
import { envWithName } from '../../../router/links';
import { wakingCommand } from '../../wake';

export const command = wakingCommand(
  'env',
  'the instance\'s variables as in its .env.local, the port URLs of `axi urls` it lacks, and APP_URL (its name on the router), as export lines: eval "$(axi env)"',
  async ({ io, json }, b, rec, o) => {
    const env = await envWithName(b, rec);
    if (o.json) return json(env);
    io.out(exportLines(env.variables));
  },
);
