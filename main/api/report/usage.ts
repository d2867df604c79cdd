import type { Backend } from '../../docker/lifecycle/backend';
import type { ContainerStatus } from '../../docker/status/status';
import type { InstanceRecord } from '../../core/registry/record';
import type { InstanceUsage } from '../../core/util/stats';
import type { VolumeSize } from '../../docker/status/stats';
import { formatBytes, formatPercent, sizeWithOwn } from '../../shared/display/units';

export interface CliUsage {
  usage: Map<string, InstanceUsage>;
  /** Over how long CPU % was measured (since the previous run, else since the containers started). */
  cpuWindowMs: number | null;
}

/**
 * CPU, memory and disk for `list --stats` and `status`: one disk-usage report and one stats reading per
 * running container. CPU % compares with the previous run's readings, kept in $AXI_HOME.
 */
export async function readCliUsage(
  backend: Backend,
  records: readonly InstanceRecord[],
  containers: readonly ContainerStatus[],
): Promise<CliUsage> {
  // Loaded with the Docker layer the caller already needed.
  const { loadReadings, readUsage, saveReadings } =
    require('../../docker/status/stats') as typeof import('../../docker/status/stats');
  const home = backend.service.paths.home;
  const { docker } = await backend.lifecycle.docker();
  const previous = await loadReadings(home);
  const { addOwnSizes } = require('../../docker/status/ownSizes') as typeof import('../../docker/status/ownSizes');
  const local = records.filter((r) => !r.engine);
  const own = (sizes: VolumeSize[]) => addOwnSizes(backend.lifecycle, docker, local, sizes);
  const report = await readUsage(docker, { preset: backend.service.preset, records, containers, previous, own });
  if (report.readings.size) await saveReadings(home, new Map([...previous, ...report.readings]));
  return { usage: report.usage, cpuWindowMs: report.cpuWindowMs };
}

/** `--json`: the raw numbers (bytes, percent), never the human text. */
export function usageJson(u: InstanceUsage | undefined, cpuWindowMs: number | null) {
  return {
    cpuPercent: u?.cpuPercent ?? null,
    memoryBytes: u?.memoryBytes ?? null,
    diskBytes: u?.diskBytes ?? null,
    ...(u?.exclusiveBytes !== undefined && { exclusiveBytes: u.exclusiveBytes }),
    volumes: u?.volumes ?? [],
    ...(u?.cpuPercent !== null && u?.cpuPercent !== undefined ? { cpuWindowMs } : {}),
  };
}

export const USAGE_HEADER = ['CPU', 'MEMORY', 'DISK'];

export function usageCells(u: InstanceUsage | undefined): string[] {
  return [formatPercent(u?.cpuPercent), formatBytes(u?.memoryBytes), sizeWithOwn(u?.diskBytes, u?.exclusiveBytes)];
}
