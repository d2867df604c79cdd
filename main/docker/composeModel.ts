import { execFile } from 'node:child_process';
import { AxiError } from '../core/errors';
import { debug } from '../core/debug';

/** Compose's merged model is bounded like the files it comes from (each at most 1 MB). */
const MAX_MODEL_BYTES = 32 * 1024 * 1024;

/** Compose v2 is not there: the plugin is missing, or `docker` itself is. */
const NO_V2 = /unknown command|is not a docker command|unknown shorthand flag: 'f'|ENOENT/i;

/**
 * Compose v2's own reading of the project's files: `include:`, `extends:`, override files,
 * `!reset`/`!override` and profiles resolved exactly as `docker compose up` would, with `${VAR}`
 * references kept (`--no-interpolate`), so no value from `.env` is copied out. Resolves to
 * undefined when Compose v2 is not installed; a file Compose rejects is an error with its message.
 */
export function readComposeModel(
  files: readonly string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<unknown> {
  const args = ['compose', ...files.flatMap((f) => ['-f', f]), 'config', '--format', 'json', '--no-interpolate'];
  debug(`spawn docker ${args.join(' ')} (in ${opts.cwd})`);
  return new Promise((resolve, reject) => {
    execFile(
      'docker',
      args,
      { cwd: opts.cwd, env: { ...process.env, ...opts.env }, maxBuffer: MAX_MODEL_BYTES },
      (err, stdout, stderr) => {
        if (err) {
          const text = `${stderr}\n${err.message}`;
          if (NO_V2.test(text) || (err as NodeJS.ErrnoException).code === 'ENOENT') return resolve(undefined);
          const line =
            stderr
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean)
              .pop() ?? err.message;
          return reject(new AxiError('BAD_INPUT', `docker compose config rejects ${files.join(', ')}: ${line}`));
        }
        try {
          resolve(JSON.parse(stdout));
        } catch {
          reject(new AxiError('DOCKER', `docker compose config printed no JSON for ${files.join(', ')}`));
        }
      },
    );
  });
}
