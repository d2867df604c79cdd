import { useCallback, useEffect, useState } from 'react';
import { api } from '../bridge';

/** Cards or the compact table, remembered in the settings (so every window and the next start agree). */
export function useListView(): ['cards' | 'table', (v: 'cards' | 'table') => void] {
  const [view, setView] = useState<'cards' | 'table'>('cards');
  useEffect(() => {
    let live = true;
    api
      .getSettings()
      .then((s) => live && setView(s.values.listView))
      .catch(() => undefined);
    const off = api.on('settings', (s) => setView(s.values.listView));
    return () => {
      live = false;
      off();
    };
  }, []);
  const choose = useCallback((v: 'cards' | 'table') => {
    setView(v);
    void api.updateSettings({ listView: v }).catch(() => undefined);
  }, []);
  return [view, choose];
}
