import { useState } from 'react';

const MIN = 120;
const STEP = 24;

function setHeight(px: number): number {
  const h = Math.max(MIN, Math.min(px, window.innerHeight - 160));
  document.documentElement.style.setProperty('--logs-height', `${h}px`);
  return h;
}

/** The logs pane's top edge: drag it, or focus it and use the arrow keys, to share the height with the list. */
export function PaneResizer() {
  const [height, setH] = useState(() => Math.round(window.innerHeight * 0.35));
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    const move = (m: PointerEvent) => setH(setHeight(window.innerHeight - m.clientY));
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
      aria-valuemax={window.innerHeight}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={(e) => {
        if (e.key === 'ArrowUp') setH(setHeight(height + STEP));
        else if (e.key === 'ArrowDown') setH(setHeight(height - STEP));
        else return;
        e.preventDefault();
      }}
    />
  );
}
