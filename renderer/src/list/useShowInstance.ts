import { useCallback, useEffect, useRef, useState } from 'react';
import type { InstanceView } from '../../../main/shared/api/table';
import { installLayerKeys, layerOpen } from '../layers';

/** Focuses an instance's card or row once it is rendered, and brings it into view. */
export function focusItem(id: string): void {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>(`[data-instance="${CSS.escape(id)}"]`);
    el?.scrollIntoView({ block: 'center' });
    el?.focus({ preventScroll: true });
  });
}

function typing(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.matches('input, select, textarea') || t.isContentEditable);
}

/**
 * Brings an instance into view and focuses it (just registered, or named by a notification or the
 * tray), by id or label. Kept until the overview has it: a registration's result may arrive before the
 * overview that lists it. `reveal` clears what would hide it (the search, the filter).
 */
export function useShowInstance(instances: InstanceView[], reveal: () => void): (ref: string) => void {
  const showing = useRef<string | null>(null);
  const [tick, setTick] = useState(0);
  const revealNow = useRef(reveal);
  useEffect(() => {
    revealNow.current = reveal;
  });
  const show = useCallback((ref: string) => {
    showing.current = ref;
    revealNow.current();
    setTick((n) => n + 1);
  }, []);
  useEffect(() => {
    const ref = showing.current;
    const target = ref && instances.find((i) => i.id === ref || i.label === ref);
    if (!target) return;
    showing.current = null;
    focusItem(target.id);
  }, [tick, instances]);
  return show;
}

/** The window's own keys: the layers' (Escape, Tab in a dialog), `/` to search and `?` for the shortcuts. */
export function useWindowKeys(onHelp: () => void): void {
  const help = useRef(onHelp);
  useEffect(() => {
    help.current = onHelp;
  });
  useEffect(() => installLayerKeys(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey || layerOpen()) return;
      if (e.key === '/') document.getElementById('instance-search')?.focus();
      else if (e.key === '?') help.current();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
