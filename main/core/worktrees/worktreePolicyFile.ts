import path from 'node:path';
import { atomicWrite } from '../registry/atomicWrite';
import { AxiError } from '../../shared/errors';
import { CONFIG_FILE, loadRepoConfig, validateConfig } from '../project/repoConfig';
import { readRepoYaml } from '../project/userFiles';
import type { WorktreePolicy } from '../../shared/worktreePolicySchema';

/** A repository's worktree policy as its config file gives it (defaults for what it leaves out). */
export async function readWorktreePolicy(folder: string): Promise<{ file: string; policy: WorktreePolicy }> {
  const loaded = await loadRepoConfig(folder);
  return { file: path.join(folder, CONFIG_FILE), policy: loaded.config.worktrees };
}

/**
 * Writes the `worktrees:` keys into the repository's `.aegisx-instances.yml` (made when missing), keeping every
 * other key and every comment (yaml's Document API). The whole result is validated before an atomic write: a
 * file that would not load is never written.
 */
export async function writeWorktreePolicy(folder: string, policy: WorktreePolicy): Promise<{ file: string }> {
  const file = path.join(folder, CONFIG_FILE);
  const text = await readRepoYaml(folder, file, 'repository config').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const { Document, parseDocument } = await import('yaml');
  const parsed = parseDocument(text);
  if (parsed.errors.length)
    throw new AxiError(
      'BAD_INPUT',
      `${file}: not valid YAML; fix it by hand first: ${parsed.errors[0]!.message.split('\n')[0]}`,
    );
  // An empty (or comments-only) file: a fresh mapping, the comments kept above it.
  let doc: InstanceType<typeof Document> = parsed;
  if (parsed.contents === null) {
    doc = new Document({});
    doc.commentBefore = [parsed.commentBefore, parsed.comment].filter(Boolean).join('\n') || null;
  }
  for (const [key, value] of Object.entries(policy)) doc.setIn(['worktrees', key], value);
  validateConfig(doc.toJS() ?? {}, file);
  await atomicWrite(file, doc.toString());
  return { file };
}
