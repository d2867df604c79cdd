import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Conflict, InstanceSummary } from '../engine/service';
import { connectionUrls } from '../engine/generator';
import type { InstanceStatus } from '../docker/status';
import type { ConflictView, InstanceView } from './table';

/** The checked-out branch, from `.git/HEAD` (a worktree's `.git` file points at its own HEAD); null when detached or not git. */
export async function gitBranch(folder: string): Promise<string | null> {
  let gitDir = path.join(folder, '.git');
  try {
    const dotGit = await readFile(gitDir, 'utf8').catch(() => undefined);
    if (dotGit?.startsWith('gitdir:')) gitDir = path.resolve(folder, dotGit.slice(7).trim());
    const head = (await readFile(path.join(gitDir, 'HEAD'), 'utf8')).trim();
    const m = /^ref: refs\/heads\/(.+)$/.exec(head);
    return m ? m[1]! : null;
  } catch {
    return null;
  }
}

export function instanceView(
  summary: InstanceSummary,
  status: InstanceStatus,
  extra: { label: string; branch: string | null; busy: string | null; error: string | null; volumes: string[]; gone: boolean },
): InstanceView {
  const { createdAt: _c, updatedAt: _u, ...fields } = summary;
  return {
    ...fields,
    urls: connectionUrls(summary.ports),
    status: status.status,
    services: Object.fromEntries(Object.entries(status.services).map(([k, s]) => [k, { state: s.state, health: s.health }])),
    ...extra,
  };
}

export function conflictView(c: Conflict): ConflictView {
  return { port: c.port, kind: c.kind, service: c.service, instances: c.instances, ...(c.process ? { process: { pid: c.process.pid, name: c.process.name } } : {}) };
}
