import path from 'node:path';
import { atomicWrite } from '../registry/atomicWrite';
import { AxiError } from '../../shared/errors';
import { CONFIG_FILE, loadRepoConfig, validateConfig } from '../project/repoConfig';
import { readRepoYaml } from '../project/userFiles';
import { idlePolicyOf, idleSettingOf, type IdleSetting } from '../../shared/schemas/idlePolicy';
import type { WorktreePolicy } from '../../shared/schemas/worktreePolicySchema';

/** A repository's worktree and idle policies as its config file gives them (defaults for what it leaves out). */
export async function readWorktreePolicy(
  folder: string,
): Promise<{ file: string; policy: WorktreePolicy; idle: IdleSetting }> {
  const loaded = await loadRepoConfig(folder);
  return {
    file: path.join(folder, CONFIG_FILE),
    policy: loaded.config.worktrees,
    idle: idleSettingOf(loaded.config.idle),
  };
}

export const writeWorktreePolicy = (folder: string, policy: WorktreePolicy) =>
  writeRepoConfig(folder, (set) => {
    for (const [key, value] of Object.entries(policy)) set(['worktrees', key], value);
  });

/**
 * `idle:` (idle sleep) written as the window's form gives it, in its shortest spelling. Unchanged, the file is
 * left as it is: saving the worktree policy does not add `idle: off` to a config that never named it.
 */
export async function writeIdlePolicy(folder: string, idle: IdleSetting): Promise<{ file: string }> {
  const now = await readWorktreePolicy(folder);
  if (JSON.stringify(idlePolicyOf(now.idle)) === JSON.stringify(idlePolicyOf(idle))) return { file: now.file };
  return writeRepoConfig(folder, (set) => set(['idle'], idlePolicyOf(idle)));
}

/**
 * Writes keys into the repository's `.aegisx-instances.yml` (made when missing), keeping every other key and
 * every comment (yaml's Document API). The whole result is validated before an atomic write: a file that
 * would not load is never written.
 */
async function writeRepoConfig(
  folder: string,
  change: (set: (keys: string[], value: unknown) => void) => void,
): Promise<{ file: string }> {
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
  change((keys, value) => doc.setIn(keys, value));
  validateConfig(doc.toJS() ?? {}, file);
  await atomicWrite(file, doc.toString());
  return { file };
}
