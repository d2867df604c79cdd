import { envVariables, exportLines, instanceEnv } from '../../../core/instances/records/checkout';
import { urlsWithNames } from '../../../router/links';
import { wakingCommand } from '../../wake';

export const command = wakingCommand(
  'env',
  'the instance\'s variables as in its .env.local, then the URLs `axi urls` prints (its router names first, APP_URL among them, where a router runs), as export lines: eval "$(axi env)"',
  async ({ io, json }, b, rec, o) => {
    // The same URLs `axi urls` prints: one computation (urlsWithNames), overlaid on the file.
    const [env, u] = await Promise.all([instanceEnv(rec), urlsWithNames(b, rec)]);
    const variables = envVariables(env.variables, u);
    if (o.json) return json({ ...env, variables });
    io.out(exportLines(variables));
  },
);
