import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { AxiError } from '../../shared/errors';

/**
 * No real compose file, repository config or template comes near this; a larger one is refused
 * before it is parsed, so a huge or hostile file cannot stall the app or fill its memory.
 */
export const MAX_USER_YAML_BYTES = 1024 * 1024;

/**
 * Reads a YAML file the user points at, refusing one over the cap. ENOENT is passed through
 * (as the error itself) so callers can treat an absent file as "not configured".
 */
export async function readUserYaml(file: string): Promise<string> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
    throw new AxiError(
      'BAD_INPUT',
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  try {
    const info = await fh.stat();
    // A device or FIFO reports size 0 and never ends (a symlink to /dev/zero): regular files only.
    if (!info.isFile()) throw new AxiError('BAD_INPUT', `${file} is not a regular file`);
    const size = info.size;
    if (size > MAX_USER_YAML_BYTES) {
      throw new AxiError('BAD_INPUT', `${file} is ${(size / 1048576).toFixed(1)} MB; axi reads YAML files up to 1 MB`);
    }
    return await fh.readFile('utf8');
  } catch (err) {
    if (err instanceof AxiError) throw err;
    throw new AxiError(
      'BAD_INPUT',
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  } finally {
    await fh.close();
  }
}

/**
 * A file named in the repository's config or on the command line, resolved inside `root` with
 * symlinks followed; one that leads outside is refused without reading it (nor echoing it).
 */
export async function resolveInside(root: string, rel: string, what: string): Promise<string> {
  const abs = path.resolve(root, rel);
  const real = await realpath(abs).catch(() => undefined);
  if (!real) throw new AxiError('BAD_INPUT', `${what} not found: ${abs}`);
  const realRoot = await realpath(root);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new AxiError('BAD_INPUT', `${what} ${rel} is outside the repository ${realRoot}; refusing to read it`);
  }
  return real;
}

/**
 * A user YAML file inside `root` (the repository): read with the cap, refused without reading when a
 * symlink takes it outside. Absent: ENOENT passes through.
 */
export async function readRepoYaml(root: string, file: string, what: string): Promise<string> {
  const exists = await realpath(file).then(
    () => true,
    (err: NodeJS.ErrnoException) => err.code !== 'ENOENT',
  );
  if (!exists) return readUserYaml(file); // throws the ENOENT callers look for
  return readUserYaml(await resolveInside(root, path.relative(root, file), what));
}
