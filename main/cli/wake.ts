import { instanceOrCheckout } from '../core/instances/records/checkout';
import type { InstanceRecord } from '../core/registry/record';
import type { Backend } from '../docker/lifecycle/backend';
import { asleepNote, wakeAsleep } from '../docker/lifecycle/wakeAsleep';
import {
  JSON_OPTION,
  OPTIONAL_NAME_ARG,
  progress,
  type CliCommand,
  type CliContext,
  type CliOption,
  type Io,
} from './command';

export const WAKE_OPTION: CliOption = {
  flags: '--wake',
  description: 'if it is asleep (idle sleep), start it first and wait until healthy',
};

/**
 * `axi env --wake`, `axi urls --wake`. Without `--wake` its variables are printed as they are, with a
 * note that it sleeps.
 */
async function wakeIfAsleep(b: Backend, rec: InstanceRecord, io: Io, wake: boolean | undefined): Promise<void> {
  if ((await wakeAsleep(b, rec, wake, progress(io))) === 'asleep')
    io.err(`axi: note: ${asleepNote(rec.name, '--wake')}`);
}

export interface WakeOptions {
  json?: boolean;
  wake?: boolean;
}

/**
 * A command that shows an instance's addresses (`axi env`, `axi urls`): an optional name, `--json` and
 * `--wake`; the instance is woken (or noted as asleep) before `show` prints it.
 */
export function wakingCommand(
  name: string,
  description: string,
  show: (ctx: CliContext, b: Backend, rec: InstanceRecord, o: WakeOptions) => Promise<void>,
): CliCommand<[name: string | undefined], WakeOptions> {
  return {
    name,
    description,
    args: [OPTIONAL_NAME_ARG],
    options: [JSON_OPTION, WAKE_OPTION],
    async run(ctx, [target], o) {
      const b = ctx.backend();
      const rec = await instanceOrCheckout(b.service, target);
      await wakeIfAsleep(b, rec, ctx.io, o.wake);
      await show(ctx, b, rec, o);
    },
  };
}
