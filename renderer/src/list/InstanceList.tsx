import { useLayoutEffect, useRef } from 'react';
import { gridNeighbour, type InstanceGroup, type ItemBox } from '../../../main/shared/display/instanceDisplay';
import type { ConflictView, EngineState, InstanceStatsView, InstanceView } from '../../../main/shared/api/table';
import { InstanceCard } from '../card/InstanceCard';
import { type Panel } from '../card/panel';
import { layerOpen } from '../layers';
import { InstanceTable } from './InstanceTable';

const ITEM = '[data-instance]:not([hidden])';

function typing(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.matches('input, select, textarea') || t.isContentEditable);
}

function box(el: HTMLElement): ItemBox {
  const r = el.getBoundingClientRect();
  return { top: r.top, left: r.left, width: r.width };
}

/** Arrows move between instances (Up/Down by row in a grid of cards, Left/Right by one); `s` starts or stops the focused one, `l` opens its logs. */
function onListKey(e: React.KeyboardEvent<HTMLElement>): void {
  if (typing(e.target) || e.altKey || e.ctrlKey || e.metaKey || layerOpen()) return;
  const item = (e.target as HTMLElement).closest<HTMLElement>(ITEM);
  if (!item) return;
  const all = [...e.currentTarget.querySelectorAll<HTMLElement>(ITEM)];
  const at = all.indexOf(item);
  const press = (act: string) => item.querySelector<HTMLElement>(`[data-act=${act}]:not([aria-disabled=true])`);
  let to: HTMLElement | undefined;
  if (e.key.startsWith('Arrow')) to = all[gridNeighbour(all.map(box), at, e.key)];
  else if (e.key === 'Home') to = all[0];
  else if (e.key === 'End') to = all.at(-1);
  else if (e.key === 's') (press('start') ?? press('stop'))?.click();
  else if (e.key === 'l') press('logs')?.click();
  else return;
  e.preventDefault();
  to?.focus();
}

export interface ListProps {
  /** Every instance, grouped and in order; `shown` says which the search and filter keep. */
  groups: InstanceGroup[];
  shown: ReadonlySet<string>;
  view: 'cards' | 'table';
  engine: EngineState | undefined;
  conflicts: ConflictView[];
  usage: Record<string, InstanceStatsView | undefined>;
  fresh: string | null;
  desktop: boolean;
  open: (panel: Panel, i: InstanceView) => void;
  showCard: (i: InstanceView) => void;
}

/**
 * Hides what the search and filter leave out by the `hidden` attribute, set on the DOM directly: a
 * keystroke then re-renders no card (they are memoised and their props unchanged), and hiding 99 of
 * 100 cards costs one attribute each rather than 99 renders.
 */
function useHidden(list: React.RefObject<HTMLDivElement | null>, shown: ReadonlySet<string>, view: string): void {
  useLayoutEffect(() => {
    for (const el of list.current?.querySelectorAll<HTMLElement>('[data-instance]') ?? [])
      el.hidden = !shown.has(el.dataset.instance!);
  }, [list, shown, view]);
}

/** The instances grouped by repository, main checkout first; cards or the compact table. */
export function InstanceList(p: ListProps) {
  const list = useRef<HTMLDivElement>(null);
  // After every render too: a card that mounts later (a new registration) gets its state at once.
  useHidden(list, p.shown, `${p.view}:${p.groups.length}:${p.groups.reduce((n, g) => n + g.instances.length, 0)}`);
  return (
    <div className="list" onKeyDown={onListKey} ref={list}>
      {p.groups.map((g, k) => (
        <section
          key={g.repository}
          className="group"
          aria-labelledby={`group-${k}`}
          hidden={!g.instances.some((i) => p.shown.has(i.id))}
        >
          <h2 id={`group-${k}`} className="group-title" title={g.repository || undefined}>
            {g.title} <span className="muted">· {g.instances.filter((i) => p.shown.has(i.id)).length}</span>
          </h2>
          {p.view === 'table' ? (
            <InstanceTable
              instances={g.instances}
              engine={p.engine}
              conflicts={p.conflicts}
              usage={p.usage}
              desktop={p.desktop}
              open={p.open}
              onShowCard={p.showCard}
            />
          ) : (
            <div className="grid">
              {g.instances.map((i) => (
                <InstanceCard
                  key={i.id}
                  instance={i}
                  engine={p.engine}
                  conflicts={p.conflicts}
                  fresh={p.fresh === i.id}
                  desktop={p.desktop}
                  usage={p.usage[i.id]}
                  open={p.open}
                />
              ))}
            </div>
          )}
        </section>
      ))}
    </div>
  );
}
