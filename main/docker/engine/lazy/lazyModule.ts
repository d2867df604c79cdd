import { createRequire } from 'node:module';

/**
 * A module that loads on first use: stands in for a package that dockerode requires when it loads but that
 * only some operations use (BuildKit sessions: gRPC and protobuf, ~1 MB of code). Property reads reach the
 * real module, loaded then.
 */
export function lazyModule(name: string): Record<string, unknown> {
  let real: Record<string, unknown> | undefined;
  const load = () => (real ??= createRequire(__filename)(name) as Record<string, unknown>);
  return new Proxy(
    {},
    {
      get: (_target, key) => load()[key as string],
      has: (_target, key) => key in load(),
    },
  );
}
