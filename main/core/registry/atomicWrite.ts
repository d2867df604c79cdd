import { chmod, lstat, mkdir } from 'node:fs/promises';

/**
 * Temp file + fsync + rename (write-file-atomic, npm's own): readers see the
 * old file or the new one, never half of either. Loaded on first write so
 * read-only commands don't pay for it. `private`: mode 0600 whatever the umask
 * or the file's mode before (the registry, its mirror, settings).
 */
export async function atomicWrite(file: string, data: string, opts: { private?: boolean } = {}): Promise<void> {
  const { default: writeFileAtomic } = await import('write-file-atomic');
  await writeFileAtomic(file, data, opts.private ? { mode: 0o600 } : {});
}

/**
 * `$AXI_HOME`: made 0700, and an existing one of this user's made 0700 again (one made before, under
 * the umask, was 0755): it holds the registry, settings and snapshots.
 */
export async function privateHome(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (st.isDirectory() && (st.mode & 0o077) !== 0 && st.uid === process.getuid?.()) await chmod(dir, 0o700);
}
