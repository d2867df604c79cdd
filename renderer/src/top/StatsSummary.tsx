import { useState } from 'react';
import type { StatsView } from '../../../main/shared/api/table';
import { formatBytes, formatPercent } from '../../../main/shared/display/units';
import { CleanupDialog } from '../dialogs/CleanupDialog';

/** The header's total over every instance, and the disk gone or orphaned instances hold, with its cleanup. */
export function StatsSummary({ stats }: { stats: StatsView | undefined }) {
  const [cleaning, setCleaning] = useState(false);
  if (!stats) return null;
  const t = stats.total;
  return (
    <>
      <span className="total" data-testid="total" aria-label="total resource use">
        {t.running ? `CPU ${formatPercent(t.cpuPercent)} · ${formatBytes(t.memoryBytes)} memory · ` : ''}
        {formatBytes(t.diskBytes)} disk
      </span>
      {stats.reclaimableBytes > 0 && (
        <span className="reclaimable" data-testid="reclaimable">
          Reclaimable: {formatBytes(stats.reclaimableBytes)} —{' '}
          <button type="button" className="link" onClick={() => setCleaning(true)}>
            Clean up…
          </button>
        </span>
      )}
      {cleaning && <CleanupDialog onClose={() => setCleaning(false)} />}
    </>
  );
}
