/**
 * What each instance costs, as pure functions of what the engine reports: CPU % by Docker's own formula
 * (`docker stats`), memory in use without the page cache, and the size of its volumes from the engine's
 * disk-usage report. No Docker or Node imports: the Docker layer reads, this decides.
 */

/** One reading of a container's CPU counters: what Docker's stats report as `cpu_stats`. */
export interface CpuReading {
  /** The container's CPU time so far, in ns (`cpu_usage.total_usage`). */
  readonly total: number;
  /** The host's CPU time so far, in ns, summed over its CPUs (`system_cpu_usage`). */
  readonly system: number;
  readonly online: number;
  /** When it was read, in ms since the epoch. */
  readonly at: number;
}

/** The part of Docker's `memory_stats` the memory figure comes from (cgroup v1 or v2 keys in `stats`). */
export interface RawMemory {
  readonly usage?: number;
  readonly stats?: Readonly<Record<string, number>>;
}

/** One container's stats as read from the engine. */
export interface ContainerSample {
  readonly cpu: CpuReading | null;
  readonly memory: RawMemory;
}

/** An instance's cost. `null`: nothing to measure (a stopped instance has no CPU or memory) or not measured. */
export interface InstanceUsage {
  cpuPercent: number | null;
  memoryBytes: number | null;
  diskBytes: number | null;
  /** Its volumes with their sizes (null where the engine did not say). */
  volumes: { name: string; bytes: number | null }[];
}

export interface UsageTotal {
  cpuPercent: number;
  memoryBytes: number;
  diskBytes: number;
  /** Instances with at least one running container (the ones CPU and memory were asked for). */
  running: number;
}

/** Docker's stats JSON → a sample; the fields `docker stats` reads, tolerant of missing ones (a stopped container). */
export function parseDockerStats(raw: unknown, at = Date.now()): ContainerSample {
  const s = (raw ?? {}) as {
    read?: string;
    cpu_stats?: {
      cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
      system_cpu_usage?: number;
      online_cpus?: number;
    };
    memory_stats?: RawMemory;
  };
  const c = s.cpu_stats;
  const total = c?.cpu_usage?.total_usage;
  const system = c?.system_cpu_usage;
  const read = s.read ? Date.parse(s.read) : NaN;
  const cpu =
    typeof total === 'number' && typeof system === 'number' && system > 0
      ? {
          total,
          system,
          online: c?.online_cpus || c?.cpu_usage?.percpu_usage?.length || 1,
          at: Number.isFinite(read) && read > 0 ? read : at,
        }
      : null;
  return { cpu, memory: s.memory_stats ?? {} };
}

/**
 * Docker's CPU %: the container's CPU time over the host's between two readings, times the online CPUs
 * (`docker stats` shows 200% for two busy cores). Null when the readings cannot be compared.
 */
export function cpuPercent(pre: CpuReading | undefined, cur: CpuReading | null): number | null {
  if (!pre || !cur) return null;
  const cpuDelta = cur.total - pre.total;
  const systemDelta = cur.system - pre.system;
  if (systemDelta <= 0 || cpuDelta < 0) return null;
  return (cpuDelta / systemDelta) * cur.online * 100;
}

/**
 * The reading a container had when it started: no CPU time of its own yet, and the host's counter
 * `online × elapsed` lower. Compared with a current reading it gives the average CPU % since the start.
 */
export function readingAtStart(cur: CpuReading, startedAt: number): CpuReading | undefined {
  const elapsedNs = (cur.at - startedAt) * 1e6;
  if (!(elapsedNs > 0)) return undefined;
  return { total: 0, system: cur.system - elapsedNs * cur.online, online: cur.online, at: startedAt };
}

/**
 * Memory in use as `docker stats` shows it: usage minus the page cache the kernel can drop
 * (cgroup v1: `total_inactive_file`, else `cache`; cgroup v2: `inactive_file`).
 */
export function memoryUsed(m: RawMemory): number | null {
  if (typeof m.usage !== 'number') return null;
  const s = m.stats ?? {};
  const cache = s.total_inactive_file ?? s.inactive_file ?? s.cache ?? 0;
  return cache < m.usage ? m.usage - cache : m.usage;
}

export interface UsageInput {
  /** Each instance by id: its compose project and the volume names its file defines. */
  readonly instances: readonly { id: string; project: string; volumes: readonly string[] }[];
  /** Its containers (running or not), by compose project. */
  readonly containers: readonly { id: string; project: string; running: boolean }[];
  /** CPU % and memory of running containers, by container id (only those were asked). */
  readonly samples: ReadonlyMap<string, { cpuPercent: number | null; memoryBytes: number | null }>;
  /** Every volume's size from the engine's disk-usage report; `bytes` null where it had none. */
  readonly volumes: readonly { name: string; project?: string; bytes: number | null }[];
}

/** Adds up what can be added; null when there is nothing to add (a sum of nulls stays unknown). */
function sum(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => typeof v === 'number');
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}

/**
 * Per-instance cost: CPU and memory summed over its running containers (null when none runs), disk the
 * size of its volumes — those its file names, or those Compose labelled with its project.
 */
export function instanceUsage(input: UsageInput): Map<string, InstanceUsage> {
  const out = new Map<string, InstanceUsage>();
  for (const inst of input.instances) {
    const running = input.containers.filter((c) => c.project === inst.project && c.running);
    const samples = running.map((c) => input.samples.get(c.id)).filter((s) => s !== undefined);
    const names = new Set(inst.volumes);
    const volumes = input.volumes
      .filter((v) => names.has(v.name) || (v.project !== undefined && v.project === inst.project))
      .map((v) => ({ name: v.name, bytes: v.bytes }))
      .sort((a, b) => a.name.localeCompare(b.name));
    out.set(inst.id, {
      cpuPercent: running.length ? sum(samples.map((s) => s.cpuPercent)) : null,
      memoryBytes: running.length ? sum(samples.map((s) => s.memoryBytes)) : null,
      diskBytes: volumes.length ? sum(volumes.map((v) => v.bytes)) : null,
      volumes,
    });
  }
  return out;
}

/** The header's total over every instance. */
export function usageTotal(usage: Iterable<InstanceUsage>): UsageTotal {
  const total: UsageTotal = { cpuPercent: 0, memoryBytes: 0, diskBytes: 0, running: 0 };
  for (const u of usage) {
    if (u.memoryBytes !== null || u.cpuPercent !== null) total.running++;
    total.cpuPercent += u.cpuPercent ?? 0;
    total.memoryBytes += u.memoryBytes ?? 0;
    total.diskBytes += u.diskBytes ?? 0;
  }
  return total;
}
