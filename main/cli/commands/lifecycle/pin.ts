import { refOrCheckout } from '../../../core/instances/records/checkout';
import { instanceId } from '../../../core/registry/instanceRef';
import { setPinned } from '../../../core/registry/sleepState';
import { JSON_OPTION, OPTIONAL_NAME_ARG, type CliCommand } from '../../command';

/** `axi pin` / `axi unpin`: idle sleep leaves a pinned instance running, whatever its repository's `idle:` says. */
function pinCommand(pinned: boolean): CliCommand<[name: string | undefined], { json?: boolean }> {
  return {
    name: pinned ? 'pin' : 'unpin',
    description: pinned
      ? 'keep an instance awake: idle sleep never stops it'
      : "let idle sleep stop an instance again (by its repository's idle: setting)",
    args: [OPTIONAL_NAME_ARG],
    options: [JSON_OPTION],
    async run({ backend, io, json }, [name], o) {
      const service = backend().service;
      const rec = await service.find(await refOrCheckout(service, name));
      await setPinned(service.paths.home, instanceId(rec), pinned);
      if (o.json) json({ name: rec.name, id: instanceId(rec), pinned });
      else
        io.out(
          `${rec.name}: ${pinned ? 'pinned (never put to sleep)' : 'unpinned (sleeps when idle, if its repository says so)'}`,
        );
    },
  };
}

export const pin = pinCommand(true);
export const unpin = pinCommand(false);
