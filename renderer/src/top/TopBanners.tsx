import type { Overview } from '../../../main/shared/api/table';
import { EngineBanners } from './EngineBanners';

/** Banners only for what spans instances: the engine lost, the overview failing to refresh. */
export function TopBanners({ overview }: { overview: Overview | undefined }) {
  return (
    <>
      {overview?.engine === 'unknown' && (
        <div className="banner banner-failed" role="alert" aria-label="engine unreachable">
          <span>
            <strong>The {overview.engines?.length ? 'local ' : ''}Docker engine is unreachable.</strong> States are
            unknown and ports are not checked until it is back; this updates by itself.
          </span>
        </div>
      )}
      <EngineBanners overview={overview} />
      {overview?.refreshError && (
        <div className="banner banner-failed" role="alert" aria-label="refresh failed">
          <span>
            <strong>{overview.refreshError}</strong>. What is shown may be out of date; it is tried again on every
            change and every few seconds.
          </span>
        </div>
      )}
    </>
  );
}
