import { useEffect, useLayoutEffect, useState } from 'react';

const MIN = 120;
/** The pane never takes more than this share of the window: the list above stays usable. */
const MAX_SHARE = 0.7;
const STEP = 24;
const PAGE_STEP = 120;

const maxHeight = () => Math.max(MIN, Math.round(window.innerHeight * MAX_SHARE));

const clamped = (px: number): number => Math.round(Math.max(MIN, Math.min(px, maxHeight())));

/** What a key does to the height: arrows a little, PageUp/PageDown a lot, Home/End to the limits. */
function keyedHeight(key: string, height: number): number | null {
  switch (key) {
    case 'ArrowUp':
      return height + STEP;
    case 'ArrowDown':
      return height - STEP;
    case 'PageUp':
      return height + PAGE_STEP;
    case 'PageDown':
      return height - PAGE_STEP;
    case 'Home':
      return MIN;
    case 'End':
      return maxHeight();
    default:
      return null;
  }
}

/**
 * The logs pane's top edge: drag it, or focus it and use the arrow keys (PageUp/PageDown for larger
 * steps), to share the height with the list. Kept between a minimum and 70% of the window, also when
 * the window is resized.
 */
export function PaneResizer() {
  const [height, setH] = useState(() => clamped(window.innerHeight * 0.35));
  const [max, setMax] = useState(maxHeight);
  // The pane's height follows the state, never an intermediate value: a resize's update queued between two keys
  // once set the pane to the first key's height while the state (and the separator) said the second's.
  useLayoutEffect(() => document.documentElement.style.setProperty('--logs-height', `${height}px`), [height]);
  useEffect(() => {
    const onResize = () => {
      setMax(maxHeight());
      setH(clamped);
    };
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    const move = (m: PointerEvent) => setH(clamped(window.innerHeight - m.clientY));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  return (
    <div
      className="pane-resizer"
      role="separator"
      aria-orientation="horizontal"
      aria-label="resize the logs pane"
      aria-valuenow={height}
      aria-valuemin={MIN}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={(e) => {
        const to = keyedHeight(e.key, height);
        if (to === null) return;
        e.preventDefault();
        setH(clamped(to));
      }}
    />
  );
}
