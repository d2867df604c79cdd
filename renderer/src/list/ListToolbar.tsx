import type { ListFilter } from '../../../main/shared/display/instanceDisplay';

const FILTERS: [ListFilter, string][] = [
  ['all', 'All'],
  ['running', 'Running'],
  ['problems', 'Problems'],
];

/** Search (by name, branch or port), the running / all / problems filter, and cards or the compact table. */
export function ListToolbar(props: {
  query: string;
  onQuery: (q: string) => void;
  filter: ListFilter;
  onFilter: (f: ListFilter) => void;
  /** null: the window is too narrow for the table, so the choice is not offered. */
  view: 'cards' | 'table' | null;
  onView: (v: 'cards' | 'table') => void;
  shown: number;
  total: number;
}) {
  return (
    <div className="toolbar" role="search">
      <input
        id="instance-search"
        type="search"
        aria-label="Search instances by name, branch or port"
        placeholder="Search name, branch or port  ( / )"
        value={props.query}
        onChange={(e) => props.onQuery(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && props.query && (e.stopPropagation(), props.onQuery(''))}
      />
      <div className="segmented" role="group" aria-label="show">
        {FILTERS.map(([f, text]) => (
          <button key={f} type="button" aria-pressed={props.filter === f} onClick={() => props.onFilter(f)}>
            {text}
          </button>
        ))}
      </div>
      {props.view && (
        <div className="segmented" role="group" aria-label="view">
          <button type="button" aria-pressed={props.view === 'cards'} onClick={() => props.onView('cards')}>
            Cards
          </button>
          <button type="button" aria-pressed={props.view === 'table'} onClick={() => props.onView('table')}>
            Compact
          </button>
        </div>
      )}
      <span className="muted" role="status">
        {props.shown === props.total
          ? `${props.total} instance${props.total === 1 ? '' : 's'}`
          : `${props.shown} of ${props.total} shown`}
      </span>
    </div>
  );
}
