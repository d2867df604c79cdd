import { useEffect, useState } from 'react';

/** The current time, advanced after `delay` ms (chosen per tick): elapsed times count up without a re-render of the whole list. */
export function useNow(delayAt: (now: number) => number): number {
  const [now, setNow] = useState(() => Date.now());
  const delay = delayAt(now);
  useEffect(() => {
    const t = setTimeout(() => setNow(Date.now()), delay);
    return () => clearTimeout(t);
  }, [now, delay]);
  return now;
}
