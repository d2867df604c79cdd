import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AxiError } from '../../shared/errors';
import { identifyFolder, instanceNameFromSuffix, resolveFolder } from '../project/identity';
import { PortAllocator } from '../ports/portAllocator';
import type { Ports } from '../project/preset';
import { takenPorts } from '../ports/portClaims';
import type { InstanceService } from '../instances/service';
import { resolveStack } from '../compose/stacks';

export interface WorktreeInfo {
  path: string;
  branch: string | null;
  head: string | null;
  /** The main worktree (the repository's own folder). */
  main: boolean;
  /** registered; unregistered; gone = registered but the folder was removed (offered for cleanup). */
  state: 'registered' | 'unregistered' | 'gone';
  /** Gone because git no longer lists it (`git worktree remove`), not merely unreachable (an unmounted disk). */
  removed?: boolean;
  name: string | null;
  /** Registered ports, or the ones setup would give now. */
  ports: Ports;
  error?: string;
}

function gitWorktrees(dir: string): Promise<{ path: string; head: string | null; branch: string | null }[]> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-C', dir, 'worktree', 'list', '--porcelain'], { timeout: 10_000 }, (err, stdout) => {
      if (err) return reject(new AxiError('BAD_INPUT', `not a git repository: ${dir}`));
      const out: { path: string; head: string | null; branch: string | null }[] = [];
      for (const block of stdout.split(/\n\n+/)) {
        const p = /^worktree (.+)$/m.exec(block)?.[1];
        if (!p || /^bare$/m.test(block)) continue;
        out.push({
          path: p,
          head: /^HEAD (\w+)$/m.exec(block)?.[1] ?? null,
          branch: /^branch refs\/heads\/(.+)$/m.exec(block)?.[1] ?? null,
        });
      }
      resolve(out);
    });
  });
}

/** The folders of the repository's worktrees, its main worktree first; empty outside git. */
export async function worktreePaths(dir: string): Promise<string[]> {
  return (await gitWorktrees(dir).catch(() => [])).map((t) => t.path);
}

/** The main worktree's folder of the repository `dir` belongs to; undefined outside git. */
export async function mainWorktreePath(dir: string): Promise<string | undefined> {
  return (await gitWorktrees(dir).catch(() => []))[0]?.path;
}

/**
 * The repository's worktrees (`git worktree list --porcelain`) with their
 * registration state and ports — registered ones as recorded, the others as
 * setup would allocate them now (a dry run: nothing is written) — plus
 * registrations of this repository whose folder is gone.
 */
export async function discoverWorktrees(service: InstanceService, dir: string): Promise<WorktreeInfo[]> {
  const folder = await resolveFolder(dir);
  const trees = await gitWorktrees(folder);
  const state = await service.readState();
  const taken = takenPorts(state);

  const out: WorktreeInfo[] = [];
  let base: string | undefined;
  for (const [k, t] of trees.entries()) {
    const exists = await stat(t.path).then(
      (s) => s.isDirectory(),
      () => false,
    );
    const rec = state.instances.find((i) => i.folder === t.path);
    const info: WorktreeInfo = {
      path: t.path,
      branch: t.branch,
      head: t.head,
      main: k === 0,
      state: rec ? (exists ? 'registered' : 'gone') : 'unregistered',
      name: rec?.name ?? null,
      ports: rec?.ports ?? {},
    };
    if (!rec && exists) {
      try {
        const id = await identifyFolder(t.path, {});
        base ??= id.base;
        info.name = instanceNameFromSuffix(id.main ? id.base : id.suffix);
        const stack = await resolveStack({ folder: id.folder, base: id.base }, service.preset);
        const alloc = await new PortAllocator(stack.preset, service.probe).allocate({
          suffix: id.suffix,
          main: id.main,
          taken,
          reassign: true,
        });
        info.ports = alloc.ports;
        for (const p of Object.values(alloc.ports)) taken.set(p, info.name);
      } catch (err) {
        info.error = (err as Error).message;
      }
    }
    if (rec?.base) base ??= rec.base;
    out.push(info);
  }
  // Worktrees removed with `git worktree remove` are no longer listed: their registrations still are.
  const listed = new Set(trees.map((t) => t.path));
  // This repository's bases: what its checkouts were registered with, and its main worktree's folder name
  // (the base of every linked worktree; the main itself may carry the seed's split of its name).
  const bases = new Set(
    [
      base,
      trees[0] && path.basename(trees[0].path),
      ...state.instances.filter((i) => listed.has(i.folder)).map((i) => i.base),
    ].filter(Boolean),
  );
  for (const rec of state.instances) {
    if (listed.has(rec.folder) || !rec.base || !bases.has(rec.base)) continue;
    if (
      await stat(rec.folder).then(
        () => true,
        () => false,
      )
    )
      continue;
    out.push({
      path: rec.folder,
      branch: null,
      head: null,
      main: false,
      state: 'gone',
      removed: true,
      name: rec.name,
      ports: rec.ports,
    });
  }
  return out;
}

export function worktreeRows(list: WorktreeInfo[]): string[][] {
  return list.map((w) => [
    w.name ?? '-',
    w.state,
    w.branch ?? (w.head ? w.head.slice(0, 8) : '-'),
    Object.values(w.ports).join(' ') || '-',
    w.error ? `${w.path} (${w.error})` : w.path,
  ]);
}
