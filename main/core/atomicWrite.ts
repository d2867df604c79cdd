/**
 * Temp file + fsync + rename (write-file-atomic, npm's own): readers see the
 * old file or the new one, never half of either. Loaded on first write so
 * read-only commands don't pay for it.
 */
export async function atomicWrite(file: string, data: string): Promise<void> {
  const { default: writeFileAtomic } = await import('write-file-atomic');
  await writeFileAtomic(file, data);
}
