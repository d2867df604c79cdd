import type { InstanceStatsView, InstanceView } from '../../../main/shared/api/table';
import { usageLine } from '../../../main/shared/display/units';

/** Nothing measured yet (never started, no volume): no line of dashes. */
export function hasUsage(u: InstanceStatsView | undefined): u is InstanceStatsView {
  return Boolean(u && (u.cpuPercent !== null || u.memoryBytes !== null || u.diskBytes !== null));
}

/**
 * The cost to show for an instance: CPU and memory only while something of it runs. The last sample may predate
 * a stop the card already shows, and a stopped instance uses neither; its disk stays.
 */
export function usageNow(usage: InstanceStatsView | undefined, i: InstanceView): InstanceStatsView | undefined {
  const runs = i.status === 'running' || i.status === 'partial';
  return runs || !usage ? usage : { ...usage, cpuPercent: null, memoryBytes: null };
}

/** A card's cost: `CPU 3.4% · memory 120 MiB · disk 48 MiB`. */
export function UsageLine({ usage }: { usage: InstanceStatsView | undefined }) {
  if (!hasUsage(usage)) return null;
  return (
    <p className="usage" data-testid="usage" title="CPU, memory and disk">
      {usageLine(usage)}
    </p>
  );
}
