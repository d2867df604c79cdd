import { execFile } from 'node:child_process';
import { AxiError } from '../../shared/errors';
import { debug } from '../../core/util/debug';
import { InterpolatedOnly } from '../../core/compose/composeValidation';

/** Compose's merged model is bounded like the files it comes from (each at most 1 MB). */
const MAX_MODEL_BYTES = 32 * 1024 * 1024;

/** Compose v2 is not there: the plugin is missing, or `docker` itself is. */
const NO_V2 = /unknown command|is not a docker command|unknown shorthand flag: 'f'|ENOENT/i;

/** A schema complaint (`validating FILE: services.x.pull_policy must be one of …`), not a missing file or bad YAML. */
const SCHEMA = /^validating .*: /m;

type Run = { ok: true; stdout: string } | { ok: false; line: string; absent: boolean };

function runConfig(files: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }, extra: string[]) {
  const args = ['compose', ...files.flatMap((f) => ['-f', f]), 'config', ...extra];
  debug(`spawn docker ${args.join(' ')} (in ${opts.cwd})`);
  return new Promise<Run>((resolve) => {
    execFile(
      'docker',
      args,
      { cwd: opts.cwd, env: { ...process.env, ...opts.env }, maxBuffer: MAX_MODEL_BYTES },
      (err, stdout, stderr) => {
        if (!err) return resolve({ ok: true, stdout });
        const text = `${stderr}\n${err.message}`;
        const absent = NO_V2.test(text) || (err as NodeJS.ErrnoException).code === 'ENOENT';
        const lines = stderr
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        resolve({ ok: false, absent, line: lines.find((l) => SCHEMA.test(l)) ?? lines.pop() ?? err.message });
      },
    );
  });
}

/**
 * Compose v2's own reading of the project's files: `include:`, `extends:`, override files,
 * `!reset`/`!override` and profiles resolved exactly as `docker compose up` would, with `${VAR}`
 * references kept (`--no-interpolate`), so no value from `.env` is copied out. Resolves to
 * undefined when Compose v2 is not installed; a file Compose rejects is an error with its message.
 * A schema complaint about the uninterpolated merge is checked again as `up` reads the files
 * (interpolated, the project's `.env` and environment): valid so, the answer is InterpolatedOnly.
 */
export async function readComposeModel(
  files: readonly string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<unknown> {
  const raw = await runConfig(files, opts, ['--format', 'json', '--no-interpolate']);
  if (!raw.ok && raw.absent) return undefined;
  if (!raw.ok) {
    const interpolated = SCHEMA.test(raw.line) ? await runConfig(files, opts, ['--quiet']) : raw;
    if (interpolated.ok) return new InterpolatedOnly(raw.line);
    throw new AxiError('BAD_INPUT', `docker compose config rejects ${files.join(', ')}: ${interpolated.line}`);
  }
  try {
    return JSON.parse(raw.stdout);
  } catch {
    throw new AxiError('DOCKER', `docker compose config printed no JSON for ${files.join(', ')}`);
  }
}
