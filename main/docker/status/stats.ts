import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { atomicWrite } from '../../core/registry/atomicWrite';
import { instanceId } from '../../core/registry/instanceRef';
import type { Preset } from '../../core/project/preset';
import type { InstanceRecord } from '../../core/registry/record';
import {
  cpuPercent,
  instanceUsage,
  memoryUsed,
  parseDockerStats,
  readingAtStart,
  type CpuReading,
  type InstanceUsage,
} from '../../core/util/stats';
import { volumeNames } from '../lifecycle/connections';
import { PROJECT_LABEL } from '../../core/project/naming';
import type { ContainerStatus } from './status';

/**
 * At most this many stats requests in flight. High on purpose: the engine answers every request in flight
 * from one collection cycle (about a second apart), so each batch beyond the first costs another second;
 * 64 covers the 50 instances that fit the slots with a few services each.
 */
export const STATS_CONCURRENCY = 64;

export interface VolumeSize {
  name: string;
  project?: string;
  labels: Record<string, string>;
  /** Null where the engine did not compute it (a driver without sizes). */
  bytes: number | null;
}

/**
 * Every volume's size from one disk-usage report (`GET /system/df`; `type=volume` spares the engines
 * that know it the image and container sizes, older ones ignore it).
 */
export async function readVolumeSizes(docker: Dockerode): Promise<VolumeSize[]> {
  type DiskUsage = { Volumes?: Dockerode.VolumeInspectInfo[] | null };
  const df = await new Promise<DiskUsage>((resolve, reject) => {
    // dockerode's df() takes no query; its modem does.
    (docker.modem as { dial: (o: object, cb: (err: unknown, data?: DiskUsage) => void) => void }).dial(
      {
        path: '/system/df?',
        method: 'GET',
        options: { type: ['volume'] },
        statusCodes: { 200: true, 500: 'server error' },
      },
      (err, data) => (err ? reject(err instanceof Error ? err : new Error(JSON.stringify(err))) : resolve(data ?? {})),
    );
  });
  return (df.Volumes ?? []).map((v) => {
    const size = (v as { UsageData?: { Size?: number } | null }).UsageData?.Size;
    const labels = v.Labels ?? {};
    return {
      name: v.Name,
      project: labels[PROJECT_LABEL],
      labels,
      bytes: typeof size === 'number' && size >= 0 ? size : null,
    };
  });
}

/** Runs `fn` over `items` with at most `limit` at a time; results in the items' order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface ContainerCost {
  cpuPercent: number | null;
  memoryBytes: number | null;
  /** This reading, to compare the next one with. */
  reading: CpuReading | null;
  /** Over how long the CPU % was measured: since the previous reading, else since the container started. */
  cpuWindowMs: number | null;
}

/**
 * One stats reading per running container (`stream=false&one-shot=true`: no second sample waited for),
 * concurrently and bounded. CPU % compares it with `previous` (the last reading of that container), else
 * with the container's start. A container gone meanwhile is left out.
 */
export async function readContainerCosts(
  docker: Dockerode,
  ids: readonly string[],
  previous: ReadonlyMap<string, CpuReading> = new Map(),
): Promise<Map<string, ContainerCost>> {
  const costs = await mapBounded(ids, STATS_CONCURRENCY, async (id): Promise<[string, ContainerCost] | undefined> => {
    const container = docker.getContainer(id);
    try {
      let pre = previous.get(id);
      // Without an earlier reading, its start time, asked alongside rather than after.
      const started = () =>
        container.inspect().then(
          (i) => Date.parse(i.State.StartedAt),
          () => NaN,
        );
      const early = pre ? undefined : started();
      const sample = parseDockerStats(await container.stats({ stream: false, 'one-shot': true }));
      let cpu = cpuPercent(pre, sample.cpu);
      if (cpu === null && sample.cpu) {
        // No earlier reading (or the container restarted since): the average since it started.
        pre = readingAtStart(sample.cpu, await (early ?? started()));
        cpu = cpuPercent(pre, sample.cpu);
      }
      const window = pre && sample.cpu ? sample.cpu.at - pre.at : null;
      return [
        id,
        { cpuPercent: cpu, memoryBytes: memoryUsed(sample.memory), reading: sample.cpu, cpuWindowMs: window },
      ];
    } catch {
      return undefined; // stopped or removed between the listing and now
    }
  });
  return new Map(costs.filter((c) => c !== undefined));
}

export interface UsageReport {
  /** By instance id. */
  usage: Map<string, InstanceUsage>;
  /** By container id: what the next report compares CPU with. */
  readings: Map<string, CpuReading>;
  /** The longest CPU window among running containers, for `--json` (null when none runs). */
  cpuWindowMs: number | null;
  volumes: VolumeSize[];
}

/**
 * What each instance costs: the disk-usage report once, and stats only for the running containers of
 * registered instances. `containers` is the listing the caller already has (status came from it).
 */
export async function readUsage(
  docker: Dockerode,
  opts: {
    preset: Preset;
    records: readonly InstanceRecord[];
    containers: readonly ContainerStatus[];
    previous?: ReadonlyMap<string, CpuReading>;
    /** Volume sizes already read (the window refreshes them less often than CPU and memory). */
    volumes?: VolumeSize[];
  },
): Promise<UsageReport> {
  const projects = new Set(opts.records.map((r) => r.project));
  const ours = opts.containers.filter((c) => projects.has(c.project));
  const running = ours.filter((c) => c.state === 'running').map((c) => c.id);
  const [volumes, costs] = await Promise.all([
    opts.volumes ?? readVolumeSizes(docker),
    readContainerCosts(docker, running, opts.previous),
  ]);
  const usage = instanceUsage({
    instances: opts.records.map((r) => ({
      id: instanceId(r),
      project: r.project,
      volumes: volumeNames(opts.preset, r),
    })),
    containers: ours.map((c) => ({ id: c.id, project: c.project, running: c.state === 'running' })),
    samples: costs,
    volumes,
  });
  const readings = new Map([...costs].flatMap(([id, c]) => (c.reading ? [[id, c.reading] as const] : [])));
  const windows = [...costs.values()].map((c) => c.cpuWindowMs).filter((w): w is number => w !== null);
  return { usage, readings, volumes, cpuWindowMs: windows.length ? Math.max(...windows) : null };
}

/** Readings older than this are not compared with: the CPU % would be an average over too long. */
const READING_TTL_MS = 10 * 60_000;
const READINGS_FILE = 'stats-readings.json';

/**
 * The CLI's last readings ($AXI_HOME/stats-readings.json), so `axi list --stats` run again shows the CPU %
 * since the previous run (`watch axi list --stats` is live) instead of waiting a second for a second sample.
 */
export async function loadReadings(home: string, now = Date.now()): Promise<Map<string, CpuReading>> {
  try {
    const raw = JSON.parse(await readFile(path.join(home, READINGS_FILE), 'utf8')) as Record<string, CpuReading>;
    return new Map(Object.entries(raw).filter(([, r]) => typeof r?.at === 'number' && now - r.at < READING_TTL_MS));
  } catch {
    return new Map();
  }
}

/** Best effort: a home that cannot be written only costs the next run its CPU window. */
export async function saveReadings(home: string, readings: ReadonlyMap<string, CpuReading>): Promise<void> {
  await atomicWrite(path.join(home, READINGS_FILE), JSON.stringify(Object.fromEntries(readings))).catch(
    () => undefined,
  );
}
