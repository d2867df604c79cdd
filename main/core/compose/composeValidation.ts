/**
 * Compose v2 validates a merge made with `--no-interpolate` before any variable is filled in, so a variable in a
 * field Compose checks (`pull_policy: ${PULL_POLICY:-always}`, `restart`, `mem_limit`, `cpus`, a port) fails
 * there although `docker compose up` accepts the files. The reader then validates them as Compose does for `up`
 * (interpolated, with the project's env files) and, when that passes, answers this instead of a model: axi
 * merges the files itself, keeping the variables as they are written.
 */
export class InterpolatedOnly {
  constructor(
    /** What Compose said of the merge with interpolation off. */
    readonly reason: string,
  ) {}
}

/** Compose's reading, or undefined where axi merges the files itself (with why, when Compose could not keep variables). */
export async function composeReading(
  p: Promise<{ m?: unknown; err?: unknown }>,
): Promise<{ model?: unknown; interpolatedOnly?: string }> {
  const r = await p;
  if ('err' in r) throw r.err;
  return r.m instanceof InterpolatedOnly ? { interpolatedOnly: r.m.reason } : { model: r.m };
}
