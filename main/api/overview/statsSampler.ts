import { usageTotal, type CpuReading, type InstanceUsage } from '../../core/util/stats';
import type { StatsView } from '../../shared/api/statsViews';

export interface UsageSample {
  /** By instance id. */
  usage: Map<string, InstanceUsage>;
  /** By container id: what the next sample compares CPU with. */
  readings: Map<string, CpuReading>;
}

/** The Docker side the sampler drives; unit tests hand it a fake. */
export interface UsageSource {
  /**
   * CPU and memory of the running containers (one stats reading each), compared with `previous`;
   * volume sizes from a fresh disk-usage report when `disk`, else the last one the source read.
   */
  read(previous: ReadonlyMap<string, CpuReading>, disk: boolean): Promise<UsageSample>;
  /** Disk a cleanup with volumes would free, from the last disk-usage report. */
  reclaimable(): Promise<number>;
}

export interface SamplerOptions {
  source: UsageSource;
  /** Calls closer together than this share one sample (several tabs, the tray menu and the window). */
  minIntervalMs?: number;
  /** Volume sizes change slowly and cost the engine a walk of each volume: re-read at most this often. */
  diskEveryMs?: number;
  now?: () => number;
}

/**
 * Samples what each instance costs only when asked: by the window while it is visible, and by the tray
 * when its menu opens. No timers of its own, so a hidden window costs nothing, whatever the number of
 * instances. Concurrent asks share one sample; the last one is kept for the tray's tooltip.
 */
export class StatsSampler {
  private last?: StatsView;
  private lastAt = -Infinity;
  private diskAt = -Infinity;
  private readings: ReadonlyMap<string, CpuReading> = new Map();
  private reclaimable = 0;
  /** Running instances the last disk-usage report had no size for (no volumes, or volumes it predates). */
  private diskless = new Set<string>();
  private inflight?: Promise<StatsView>;
  private readonly listeners = new Set<(view: StatsView) => void>();

  constructor(private readonly opts: SamplerOptions) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** A fresh sample, or the one just taken (or being taken). */
  sample(): Promise<StatsView> {
    if (this.inflight) return this.inflight;
    if (this.last && this.now() - this.lastAt < (this.opts.minIntervalMs ?? 2_000)) return Promise.resolve(this.last);
    this.inflight = this.take().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  /** The last sample taken, if any: the tray's tooltip reads it without asking the engine. */
  current(): StatsView | undefined {
    return this.last;
  }

  /** Volumes were deleted or copied: the next sample re-reads their sizes. */
  invalidateDisk(): void {
    this.diskAt = -Infinity;
    this.lastAt = -Infinity;
  }

  onSample(listener: (view: StatsView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async take(): Promise<StatsView> {
    const started = this.now();
    const disk = started - this.diskAt >= (this.opts.diskEveryMs ?? 30_000);
    const s = await this.opts.source.read(this.readings, disk);
    const sizeless = runningWithoutDisk(s.usage);
    if (disk) {
      this.diskAt = started;
      this.diskless = sizeless;
      // Reclaimable space is a nicety: a failed plan keeps the last figure rather than failing the sample.
      this.reclaimable = await this.opts.source.reclaimable().catch(() => this.reclaimable);
    } else if ([...sizeless].some((id) => !this.diskless.has(id))) {
      // Just started, its volumes newer than the last report: sized by the next sample, not up to 30 s later
      // (a card stopped meanwhile would show no disk at all until then).
      this.diskAt = -Infinity;
    }
    this.readings = s.readings;
    const view = statsView(s.usage, this.reclaimable, new Date(started));
    this.last = view;
    this.lastAt = started;
    for (const l of this.listeners) l(view);
    return view;
  }
}

/** Instances with something running whose volumes the last disk-usage report did not size. */
function runningWithoutDisk(usage: ReadonlyMap<string, InstanceUsage>): Set<string> {
  const runs = (u: InstanceUsage) => u.cpuPercent !== null || u.memoryBytes !== null;
  return new Set([...usage].filter(([, u]) => runs(u) && u.diskBytes === null).map(([id]) => id));
}

/** The API's view of a sample: raw numbers per instance id, the header's total, the reclaimable disk. */
export function statsView(usage: ReadonlyMap<string, InstanceUsage>, reclaimableBytes: number, at: Date): StatsView {
  return {
    at: at.toISOString(),
    instances: Object.fromEntries(
      [...usage].map(([id, u]) => [
        id,
        {
          cpuPercent: u.cpuPercent,
          memoryBytes: u.memoryBytes,
          diskBytes: u.diskBytes,
          ...(u.exclusiveBytes !== undefined && { exclusiveBytes: u.exclusiveBytes }),
        },
      ]),
    ),
    total: usageTotal(usage.values()),
    reclaimableBytes,
  };
}
