import { useEffect, useState } from 'react';
import type { StatsView } from '../../../main/shared/api/table';
import { api } from '../bridge';

/** How often a visible window asks for CPU, memory and disk: like Docker Desktop's container list. */
export const STATS_INTERVAL_MS = 5_000;

/**
 * The last stats sample, asked for only while the window is visible: at once when it becomes visible,
 * then every few seconds; a hidden window (minimised, hidden to the tray, a background tab) asks nothing.
 */
export function useStats(): StatsView | undefined {
  const [stats, setStats] = useState<StatsView>();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const tick = () => {
      timer = undefined;
      if (stopped || document.visibilityState !== 'visible') return;
      api
        .getStats()
        .then((s) => !stopped && setStats(s))
        .catch(() => undefined) // the engine is down: the banner says so; the last figures stay
        .finally(() => {
          if (!stopped && document.visibilityState === 'visible' && !timer) timer = setTimeout(tick, STATS_INTERVAL_MS);
        });
    };
    const onVisibility = () => {
      if (document.visibilityState !== 'visible') {
        clearTimeout(timer);
        timer = undefined;
      } else if (!timer) tick();
    };
    document.addEventListener('visibilitychange', onVisibility);
    tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);
  return stats;
}
