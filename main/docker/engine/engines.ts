import os from 'node:os';
import { AxiError } from '../../shared/errors';
import { isEngineUrl } from '../../shared/display/engine';
import { contextEndpoint, dockerodeOptions } from './connection';

/**
 * The endpoint URL of a registration's engine: a DOCKER_HOST value as it is, a context name through the
 * context's own metadata (as `docker --context NAME` reads it). BAD_INPUT for a context that does not exist.
 */
export function engineHost(engine: string, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (isEngineUrl(engine)) return engine;
  const found = contextEndpoint({ ...env, DOCKER_CONTEXT: engine }, home);
  if (!found)
    throw new AxiError(
      'BAD_INPUT',
      `no Docker context named ${JSON.stringify(engine)} (see docker context ls; create one with docker context create ${engine} --docker host=ssh://user@host)`,
    );
  return found.host;
}

/**
 * `setup`'s `--context NAME` / `--engine URL`, checked: the value to record (null: the local engine, for
 * `--context default` or `--engine local`), or undefined when neither is given (the recorded one stays).
 */
export function engineOption(
  opts: { context?: string; engine?: string },
  env: NodeJS.ProcessEnv = process.env,
  home = os.homedir(),
): string | null | undefined {
  if (opts.context !== undefined && opts.engine !== undefined)
    throw new AxiError('BAD_INPUT', '--context and --engine name the same thing: give one of them');
  if (opts.context !== undefined) {
    if (opts.context === 'default') return null;
    if (isEngineUrl(opts.context) || !/^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/.test(opts.context))
      throw new AxiError(
        'BAD_INPUT',
        `--context ${JSON.stringify(opts.context)} is not a context name (--engine takes a URL)`,
      );
    engineHost(opts.context, env, home); // it must exist
    return opts.context;
  }
  if (opts.engine === undefined) return undefined;
  if (opts.engine === 'local') return null;
  if (!isEngineUrl(opts.engine))
    throw new AxiError(
      'BAD_INPUT',
      `--engine ${JSON.stringify(opts.engine)} is not a Docker endpoint URL (tcp://HOST:2375, ssh://USER@HOST)`,
    );
  dockerodeOptions(opts.engine); // a scheme we can speak
  return opts.engine;
}
