import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../bridge';

/** Cards or the compact table, remembered in the settings (so every window and the next start agree). */
export function useListView(): ['cards' | 'table', (v: 'cards' | 'table') => void] {
  const [view, setView] = useState<'cards' | 'table'>('cards');
  // Choices still on their way: an earlier choice's echo (Compact, then a row's name at once) must not undo the last.
  const pending = useRef(0);
  useEffect(() => {
    let live = true;
    api
      .getSettings()
      .then((s) => live && !pending.current && setView(s.values.listView))
      .catch(() => undefined);
    const off = api.on('settings', (s) => pending.current || setView(s.values.listView));
    return () => {
      live = false;
      off();
    };
  }, []);
  const choose = useCallback((v: 'cards' | 'table') => {
    setView(v);
    pending.current++;
    void api
      .updateSettings({ listView: v })
      .catch(() => undefined)
      .finally(() => pending.current--);
  }, []);
  return [view, choose];
}

/** Below this width the compact table's columns cannot fit: cards are shown, whatever the setting. */
export const TABLE_MIN_WIDTH = 700;

/** Whether the window is narrower than the compact table needs; follows resizes. */
export function useNarrow(): boolean {
  const query = `(max-width: ${TABLE_MIN_WIDTH - 1}px)`;
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const m = window.matchMedia(query);
    const on = () => setNarrow(m.matches);
    m.addEventListener('change', on);
    on();
    return () => m.removeEventListener('change', on);
  }, [query]);
  return narrow;
}
