import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AxiError } from '../../../shared/errors';
import { stageWrite, writeTarget, type StagedWrite } from '../../project/instanceFiles';
import type { InstanceRecord } from '../../registry/record';

/** The comment above the one line of `.env` axi owns. */
export const PROJECT_MARK =
  "# axi: this checkout's Compose project, so docker-compose in this folder acts on axi's (axi setup keeps it)";
const KEY = /^\s*(?:export\s+)?COMPOSE_PROJECT_NAME\s*=\s*(.*)$/;

/** What setup does to `.env`: a staged write (if any), and whether the file holds only axi's line (git may ignore it). */
export interface ProjectEnv {
  readonly write?: StagedWrite;
  readonly onlyOurs: boolean;
}

/**
 * The seed's documented `docker-compose -f docker-compose.instance.yml up -d` (v1 and v2) reads the project name
 * from `.env` in the folder, not `.env.local`; without it, it starts a second copy under the folder's name. A
 * top-level `name:` would do for v2, but v1 rejects the whole file for it. So one marked line in `.env`: added, or
 * kept in step; a user's own COMPOSE_PROJECT_NAME is never changed (a note says which project Compose will use).
 * A `.env` git tracks is never changed (it would keep `git worktree remove` from taking the checkout): an earlier
 * axi's marked line leaves it, and a note gives the `-p` to use by hand.
 */
export async function stageProjectEnv(rec: InstanceRecord, notes: string[], tracked: boolean): Promise<ProjectEnv> {
  // A `--from` stack's `.env` is its own compose file's; the main checkout's project is the seed's folder name.
  if (rec.main || rec.source === 'compose') return { onlyOurs: false };
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
  const theirs = lines.map((l, i) => (i === ours ? null : KEY.exec(l))).find(Boolean);
  if (tracked) {
    if (!theirs)
      notes.push(
        `.env is tracked by git, so axi leaves it alone: run Compose here by hand with -p ${rec.project} (axi up does)`,
      );
    if (ours === -1) return { onlyOurs: false };
    lines.splice(ours - 1, 2);
    return { write: await stageWrite(file, lines.join('\n'), 'updated', false), onlyOurs: false };
  }
  const onlyOurs = lines.every((l, i) => !l.trim() || i === ours || (i === ours - 1 && l === PROJECT_MARK));
  if (ours !== -1) {
    if (lines[ours] === want) return { onlyOurs };
    lines[ours] = want;
    return { write: await stageWrite(file, lines.join('\n'), 'updated', false), onlyOurs };
  }
  if (theirs) {
    const value = theirs[1]!.trim().replace(/^['"]|['"]$/g, '');
    if (value !== rec.project)
      notes.push(
        `.env sets COMPOSE_PROJECT_NAME=${value} (kept): docker-compose in this folder acts on project ${value}, axi on ${rec.project}`,
      );
    return { onlyOurs: false };
  }
  const sep = text && !text.endsWith('\n') ? '\n' : '';
  const write = await stageWrite(file, `${text}${sep}${PROJECT_MARK}\n${want}\n`, text ? 'updated' : 'created', false);
  return { write, onlyOurs: !text.trim() };
}
