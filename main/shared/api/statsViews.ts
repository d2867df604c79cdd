/**
 * What the window shows of each instance's cost and of the disk cleanup can reclaim: the API table's
 * result types for `getStats`, `planCleanup` and `applyCleanup`. No Node imports: the renderer compiles it.
 * Numbers are raw (bytes, percent); main/core/units.ts turns them into text.
 */

export interface InstanceStatsView {
  /** Summed over its running containers; null when none runs. */
  cpuPercent: number | null;
  memoryBytes: number | null;
  /** The size of its volumes; null when it has none yet. */
  diskBytes: number | null;
  /** On a copy-on-write engine, what removing its volumes frees; null: apparent only; absent elsewhere. */
  exclusiveBytes?: number | null;
}

export interface StatsView {
  /** When CPU and memory were read (ISO time). */
  at: string;
  /** By instance id. */
  instances: Record<string, InstanceStatsView>;
  total: { cpuPercent: number; memoryBytes: number; diskBytes: number; running: number };
  /** Disk held by gone or orphaned instances' volumes (what Clean up… would free). */
  reclaimableBytes: number;
}

export interface CleanupItemView {
  kind: 'registration' | 'container' | 'network' | 'volume';
  name: string;
  /** The folder of a gone registration, the project of a container. */
  detail: string | null;
  /** A volume's size. */
  bytes: number | null;
}

/** A dry run: what a cleanup would remove. `token` names exactly this list; applying needs it. */
export interface CleanupPlanView {
  token: string;
  items: CleanupItemView[];
  /** Orphaned volumes with no registry label, not in `items`: removed only by an apply with `unowned: true`. */
  unowned: CleanupItemView[];
  /** Names `items` and `unowned` together: what an apply with `unowned: true` takes; absent when there are none. */
  unownedToken?: string;
  reclaimableBytes: number;
}

export interface CleanupResultView {
  removed: CleanupItemView[];
  reclaimedBytes: number;
}
