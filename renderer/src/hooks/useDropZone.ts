import { useRef, useState } from 'react';
import type { AddResult } from '../top/AddFolder';
import { droppedPaths } from '../bridge';

/** Folders dropped anywhere on the window are registered; the overlay shows while something is dragged over. */
export function useDropZone(
  register: (dirs: string[]) => Promise<boolean>,
  addResult: (r: Omit<AddResult, 'id'>) => void,
) {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  const handlers = {
    onDragEnter: (e: React.DragEvent) => {
      e.preventDefault();
      depth.current++;
      setDragging(true);
    },
    onDragOver: (e: React.DragEvent) => e.preventDefault(),
    onDragLeave: () => {
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop: (e: React.DragEvent) => {
      e.preventDefault();
      depth.current = 0;
      setDragging(false);
      const dirs = droppedPaths(e.dataTransfer);
      if (dirs.length) void register(dirs);
      else
        addResult({
          dir: '(drop)',
          ok: false,
          text: 'Nothing usable was dropped: drop one or more folders from your file manager.',
        });
    },
  };
  return { dragging, handlers };
}
