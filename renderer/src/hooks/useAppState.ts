import { useCallback, useMemo, useState } from 'react';
import { groupInstances, visibleIds, type ListFilter } from '../../../main/shared/display/instanceDisplay';
import type { ConflictView, InstanceView } from '../../../main/shared/api/table';
import type { AddResult } from '../top/AddFolder';
import { withResult } from '../top/AddResults';
import { useListView, useNarrow } from '../list/useListView';

/** The add field's results: the latest per folder, each dismissible. */
export function useAddResults() {
  const [results, setResults] = useState<AddResult[]>([]);
  const addResult = useCallback((r: Omit<AddResult, 'id'>) => {
    setResults((x) => withResult(x, { ...r, id: Date.now() + Math.random() }));
  }, []);
  const dismiss = useCallback((r: AddResult) => setResults((x) => x.filter((y) => y.id !== r.id)), []);
  return { results, addResult, dismiss };
}

/** The settings panel: open at `#settings` (the tray's "Settings…" opens a new window there) or on request. */
export function useSettingsPanel() {
  const [settingsOpen, setSettingsOpen] = useState(() => window.location.hash === '#settings');
  const openSettings = useCallback(() => setSettingsOpen(true), []);
  const closeSettings = useCallback(() => {
    setSettingsOpen(false);
    if (window.location.hash) history.replaceState(null, '', window.location.pathname + window.location.search);
  }, []);
  return { settingsOpen, openSettings, closeSettings };
}

/** The list's search, filter and view, and what they leave shown. */
export function useListState(instances: InstanceView[], conflicts: ConflictView[]) {
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<ListFilter>('all');
  const [setting, setView] = useListView();
  // The compact table needs width: a narrow window shows cards and keeps the setting for when it widens.
  const narrow = useNarrow();
  const view = narrow ? 'cards' : setting;
  // The order and groups change with the instances only; typing changes which are shown.
  const groups = useMemo(() => groupInstances(instances), [instances]);
  const visible = useMemo(
    () => visibleIds(instances, { query, filter, conflicts }),
    [instances, query, filter, conflicts],
  );
  /** Clears what would hide an instance that is to be shown. */
  const reveal = useCallback(() => {
    setQuery('');
    setFilter('all');
  }, []);
  return { query, setQuery, filter, setFilter, narrow, view, setView, groups, visible, reveal };
}

export type ListState = ReturnType<typeof useListState>;
