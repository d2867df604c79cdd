import path from 'node:path';
import { checkoutFor, isTracked, stageExclude, stageGitignoreCleanup } from '../../project/gitIgnore';
import { COMPOSE_FILE, ENV_FILE, type StagedWrite } from '../../project/instanceFiles';
import type { InstanceRecord } from '../../registry/record';
import { stageProjectEnv } from './projectEnv';

/**
 * Setup's writes beside the instance files, keeping the checkout clean for git: `.env`'s project line (never in a
 * `.env` git tracks), an earlier axi's `.gitignore` block taken out, and the generated files (and their `.bak`
 * copies) ignored through the repository's `info/exclude`. Staged under the names setup reports them by.
 */
export async function stageCheckoutFiles(
  rec: InstanceRecord,
  generated: readonly string[],
  notes: string[],
): Promise<StagedWrite[]> {
  const co = await checkoutFor(rec.folder);
  const env = await stageProjectEnv(rec, notes, co ? await isTracked(rec.folder, '.env') : false);
  const staged: StagedWrite[] = env.write ? [{ ...env.write, path: '.env' }] : [];
  if (!co) return staged;
  const own = [
    ...new Set([
      ENV_FILE,
      COMPOSE_FILE,
      ...generated.map((f) => path.relative(rec.folder, f).split(path.sep).join('/')),
    ]),
  ].filter((n) => n && !n.startsWith('../'));
  const names = [...own, ...own.map((n) => `${n}.bak`), ...(env.onlyOurs ? ['.env'] : [])];
  const cleanup = await stageGitignoreCleanup(rec.folder, [ENV_FILE, COMPOSE_FILE]);
  if (cleanup.write) {
    staged.push({ ...cleanup.write, path: '.gitignore' });
    notes.push(`took axi's block out of .gitignore: git ignores the instance files through .git/info/exclude`);
  }
  const exclude = await stageExclude(rec.folder, co, names, cleanup.removed);
  if (exclude) {
    staged.push({ ...exclude, path: 'info/exclude' });
    notes.push(
      `git ignores the instance files through ${path.join(co.common, 'info', 'exclude')} (no tracked file changes)`,
    );
  }
  return staged;
}
