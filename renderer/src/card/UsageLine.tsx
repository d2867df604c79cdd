import type { InstanceStatsView } from '../../../main/shared/api/table';
import { usageLine } from '../../../main/shared/display/units';

/** Nothing measured yet (never started, no volume): no line of dashes. */
export function hasUsage(u: InstanceStatsView | undefined): u is InstanceStatsView {
  return Boolean(u && (u.cpuPercent !== null || u.memoryBytes !== null || u.diskBytes !== null));
}

/** A card's cost: `CPU 3.4% · memory 120 MiB · disk 48 MiB` (CPU and memory only while it runs). */
export function UsageLine({ usage }: { usage: InstanceStatsView | undefined }) {
  if (!hasUsage(usage)) return null;
  return (
    <p className="usage" data-testid="usage" title="CPU, memory and disk">
      {usageLine(usage)}
    </p>
  );
}
