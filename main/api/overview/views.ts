import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Conflict, InstanceSummary } from '../../core/instances/serviceTypes';
import { connectionUrls } from '../../core/instances/generator';
import { gitCommonDir } from '../../core/project/identity';
import type { Snapshot } from '../../docker/data/snapshots';
import type { InstanceStatus } from '../../docker/status/status';
import type {
  ConflictView,
  EngineState,
  InstanceView,
  RouteLinkView,
  SnapshotView,
  TunnelView,
} from '../../shared/table';

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
  extra: {
    label: string;
    branch: string | null;
    repository: string | null;
    busy: string | null;
    busySince: number | null;
    since: number | null;
    listening: string[];
    oldPorts: Record<string, number>;
    error: string | null;
    volumes: string[];
    gone: boolean;
    engineState?: EngineState;
    tunnel?: TunnelView;
    routes?: RouteLinkView[];
    routerDown?: boolean;
  },
): InstanceView {
  const { createdAt: _c, updatedAt: _u, engine, ...fields } = summary;
  return {
    ...fields,
    ...(engine ? { engine } : {}),
    urls: connectionUrls(summary.ports),
    status: status.status,
    ...(status.copyPause ? { copyPause: status.copyPause } : {}),
    services: Object.fromEntries(
      Object.entries(status.services).map(([k, s]) => [k, { state: s.state, health: s.health }]),
    ),
    ...extra,
  };
}

export function conflictView(c: Conflict): ConflictView {
  return {
    port: c.port,
    kind: c.kind,
    service: c.service,
    instances: c.instances,
    ...(c.process ? { process: { pid: c.process.pid, name: c.process.name } } : {}),
  };
}

export interface FolderInfo {
  branch: string | null;
  /** Its git repository's main folder (the same for a checkout and its worktrees); null outside git. */
  repository: string | null;
  /** The folder no longer exists. */
  gone: boolean;
}

/**
 * Branch and folder presence, read once per re-check rather than on every
 * engine event: a burst of container events re-renders from memory.
 */
export class FolderInfoCache {
  private readonly folders = new Map<string, Promise<FolderInfo>>();
  /** A folder's repository does not change while it exists: kept across clear(), unlike its branch. */
  private readonly repositories = new Map<string, Promise<string | null>>();

  get(folder: string): Promise<FolderInfo> {
    let info = this.folders.get(folder);
    if (!info) {
      info = this.read(folder);
      this.folders.set(folder, info);
    }
    return info;
  }

  clear(): void {
    this.folders.clear();
  }

  private async read(folder: string): Promise<FolderInfo> {
    const gone = !(await stat(folder).then(
      (s) => s.isDirectory(),
      () => false,
    ));
    if (gone) {
      this.repositories.delete(folder);
      return { branch: null, repository: null, gone };
    }
    let repository = this.repositories.get(folder);
    if (!repository) {
      repository = repositoryOf(folder);
      this.repositories.set(folder, repository);
    }
    return { branch: await gitBranch(folder), repository: await repository, gone };
  }
}

/** The main worktree's folder (or a bare repository's git dir); null outside git. */
async function repositoryOf(folder: string): Promise<string | null> {
  const common = await gitCommonDir(folder);
  return common ? (path.basename(common) === '.git' ? path.dirname(common) : common) : null;
}

export function snapshotView(s: Snapshot): SnapshotView {
  return {
    id: s.id,
    dir: s.dir,
    createdAt: s.createdAt,
    reason: s.reason,
    volumes: s.volumes.map((v) => ({ name: v.name, bytes: v.bytes })),
  };
}
