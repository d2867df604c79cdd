import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../bridge';
import { echoChosen, echoServer, echoSettled, echoStart, type EchoState } from '../../../main/shared/api/settingsEcho';
import type { SettingsView } from '../../../main/shared/api/table';

type ListView = 'cards' | 'table';

/**
 * Cards or the compact table, remembered in the settings (so every window and the next start agree). Two quick
 * choices, their late echoes and another window's change all end on the last writer's (see settingsEcho).
 */
export function useListView(): [ListView, (v: ListView) => void] {
  const [view, setView] = useState<ListView>('cards');
  const state = useRef(echoStart<ListView>('cards'));
  const apply = useCallback((next: EchoState<ListView>) => {
    state.current = next;
    setView(next.shown);
  }, []);
  useEffect(() => {
    let live = true;
    const seen = (s: SettingsView) => live && apply(echoServer(state.current, s.values.listView, s.revision));
    api
      .getSettings()
      .then(seen)
      .catch(() => undefined);
    const off = api.on('settings', seen);
    return () => {
      live = false;
      off();
    };
  }, [apply]);
  const choose = useCallback(
    (v: ListView) => {
      apply(echoChosen(state.current, v));
      void api.updateSettings({ listView: v }).then(
        (s) => apply(echoSettled(state.current, { value: s.values.listView, revision: s.revision })),
        () => apply(echoSettled(state.current)),
      );
    },
    [apply],
  );
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
