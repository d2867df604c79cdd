import { useEffect, useRef } from 'react';

/** How long a success message stays. */
export const FADE_MS = 10_000;

/**
 * Calls `onFade` `ms` after `key` last changed (null: nothing to fade), but not while the pointer is over
 * `ref` or focus is inside it: a message being read or acted on stays, and is looked at again a moment later.
 */
export function useFade(
  ref: React.RefObject<HTMLElement | null>,
  key: string | number | null,
  onFade: () => void,
  ms = FADE_MS,
): void {
  const fade = useRef(onFade);
  useEffect(() => {
    fade.current = onFade;
  });
  useEffect(() => {
    if (key === null) return;
    let timer = 0;
    const check = () => {
      const el = ref.current;
      if (el && (el.matches(':hover') || el.contains(document.activeElement))) timer = window.setTimeout(check, 1000);
      else fade.current();
    };
    timer = window.setTimeout(check, ms);
    return () => clearTimeout(timer);
  }, [ref, key, ms]);
}
