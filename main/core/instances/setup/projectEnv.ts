import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AxiError } from '../../../shared/errors';
import { stageWrite, writeTarget, type StagedWrite } from '../../project/instanceFiles';
import type { InstanceRecord } from '../../registry/record';

/** The comment above the one line of `.env` axi owns. */
export const PROJECT_MARK =
  "# axi: this checkout's Compose project, so docker-compose in this folder acts on axi's (axi setup keeps it)";
const KEY = /^\s*(?:export\s+)?COMPOSE_PROJECT_NAME\s*=\s*(.*)$/;

/**
 * The seed's documented `docker-compose -f docker-compose.instance.yml up -d` (v1 and v2) reads the project name
 * from `.env` in the folder, not `.env.local`; without it, it starts a second copy under the folder's name. A
 * top-level `name:` would do for v2, but v1 rejects the whole file for it. So one marked line in `.env`: added, or
 * kept in step; a user's own COMPOSE_PROJECT_NAME is never changed (a note says which project Compose will use).
 */
export async function stageProjectEnv(rec: InstanceRecord, notes: string[]): Promise<StagedWrite | undefined> {
  // A `--from` stack's `.env` is its own compose file's; the main checkout's project is the seed's folder name.
  if (rec.main || rec.source === 'compose') return undefined;
  const file = await writeTarget(rec.folder, path.join(rec.folder, '.env'));
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new AxiError('BAD_INPUT', `cannot read ${file}: ${(err as Error).message}`);
  }
  const lines = text.split('\n');
  const ours = lines.findIndex((l, i) => KEY.test(l) && lines[i - 1] === PROJECT_MARK);
  const want = `COMPOSE_PROJECT_NAME=${rec.project}`;
  if (ours !== -1) {
    if (lines[ours] === want) return undefined;
    lines[ours] = want;
    return stageWrite(file, lines.join('\n'), 'updated', false);
  }
  const theirs = lines.map((l) => KEY.exec(l)).find(Boolean);
  if (theirs) {
    const value = theirs[1]!.trim().replace(/^['"]|['"]$/g, '');
    if (value !== rec.project)
      notes.push(
        `.env sets COMPOSE_PROJECT_NAME=${value} (kept): docker-compose in this folder acts on project ${value}, axi on ${rec.project}`,
      );
    return undefined;
  }
  const sep = text && !text.endsWith('\n') ? '\n' : '';
  return stageWrite(file, `${text}${sep}${PROJECT_MARK}\n${want}\n`, text ? 'updated' : 'created', false);
}
