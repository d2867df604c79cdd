import type { InstanceStatsView } from '../../main/api/table';
import { usageLine } from '../../main/core/units';

/** A card's cost: `CPU 3.4% · memory 120 MiB · disk 48 MiB` (CPU and memory only while it runs). */
export function UsageLine({ usage }: { usage: InstanceStatsView | undefined }) {
  if (!usage) return null;
  return (
    <p className="usage" data-testid="usage" aria-label="resource use">
      {usageLine(usage)}
    </p>
  );
}
