import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Conflict, InstanceSummary } from '../../core/instances/serviceTypes';
import { connectionUrls } from '../../core/instances/setup/generator';
import { gitCommonDir } from '../../core/project/identity';
import type { Snapshot } from '../../docker/data/snapshots';
import type { InstanceStatus } from '../../docker/status/status';
import type { ConflictView, InstanceView, PortLinkView, SnapshotView } from '../../shared/api/table';

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
  extra: Pick<
    InstanceView,
    | 'label'
    | 'branch'
    | 'repository'
    | 'busy'
    | 'busySince'
    | 'since'
    | 'listening'
    | 'oldPorts'
    | 'error'
    | 'volumes'
    | 'gone'
    | 'engineState'
    | 'tunnel'
    | 'routes'
    | 'routerDown'
    | 'needsTrust'
  > & {
    /** Every published port with its scheme and URL (see portUrls). */
    ports?: PortLinkView[];
  },
): InstanceView {
  const { createdAt: _c, updatedAt: _u, engine, ...fields } = summary;
  const { ports: links, ...rest } = extra;
  return {
    ...fields,
    ...(engine ? { engine } : {}),
    urls: links ? Object.fromEntries(links.map((l) => [l.name, l.url])) : connectionUrls(summary.ports),
    ...(links ? { links } : {}),
    status: status.status,
    ...(status.copyPause ? { copyPause: status.copyPause } : {}),
    services: Object.fromEntries(
      Object.entries(status.services).map(([k, s]) => [
        k,
        { state: s.state, health: s.health, ...(s.stopAsked ? { stopAsked: true } : {}) },
      ]),
    ),
    ...rest,
  };
}

export function conflictView(c: Conflict): ConflictView {
  return {
    port: c.port,
    kind: c.kind,
    service: c.service,
    instances: c.instances,
    ...(c.process ? { process: { pid: c.process.pid, name: c.process.name } } : {}),
    ...(c.range ? { range: c.range } : {}),
    ...(c.heldBy ? { heldBy: c.heldBy } : {}),
  };
}

export interface FolderInfo {
  branch: string | null;
  /** Its git repository's main folder (the same for a checkout and its worktrees); null outside git. */
  repository: string | null;
  /** The folder no longer exists. */
  gone: boolean;
  /** Its compose file reaches the host and no person has accepted that: a start is refused until they do. */
  untrusted: boolean;
}

/**
 * Branch and folder presence, read once per re-check rather than on every
 * engine event: a burst of container events re-renders from memory.
 */
export class FolderInfoCache {
  private readonly folders = new Map<string, Promise<FolderInfo>>();
  /** A folder's repository does not change while it exists: kept across clear(), unlike its branch. */
  private readonly repositories = new Map<string, Promise<string | null>>();

  /** `untrusted`: whether a folder's compose file reaches the host unaccepted (read with the branch, per re-check). */
  constructor(private readonly untrusted: (folder: string) => Promise<boolean> = () => Promise.resolve(false)) {}

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
      return { branch: null, repository: null, gone, untrusted: false };
    }
    let repository = this.repositories.get(folder);
    if (!repository) {
      repository = repositoryOf(folder);
      this.repositories.set(folder, repository);
    }
    const untrusted = await this.untrusted(folder).catch(() => false);
    return { branch: await gitBranch(folder), repository: await repository, gone, untrusted };
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
    kind: s.kind ?? 'archive',
    volumes: s.volumes.map((v) => ({ name: v.name, bytes: v.bytes })),
  };
}
