import { conflictsOf, type InstanceGroup } from '../../../main/api/instanceDisplay';
import type { ConflictView, EngineState, InstanceStatsView, InstanceView } from '../../../main/api/table';
import { InstanceCard, type CardActions } from '../InstanceCard';
import { layerOpen } from '../layers';
import { InstanceTable } from './InstanceTable';

const ITEM = '[data-instance]';

function typing(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.matches('input, select, textarea') || t.isContentEditable);
}

/** Arrows move between instances; `s` starts or stops the focused one, `l` opens its logs. */
function onListKey(e: React.KeyboardEvent<HTMLElement>): void {
  if (typing(e.target) || e.altKey || e.ctrlKey || e.metaKey || layerOpen()) return;
  const item = (e.target as HTMLElement).closest<HTMLElement>(ITEM);
  if (!item) return;
  const all = [...e.currentTarget.querySelectorAll<HTMLElement>(ITEM)];
  const at = all.indexOf(item);
  const press = (act: string) => item.querySelector<HTMLElement>(`[data-act=${act}]:not([aria-disabled=true])`);
  let to: HTMLElement | undefined;
  if (e.key === 'ArrowDown' || e.key === 'ArrowRight') to = all[at + 1];
  else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') to = all[at - 1];
  else if (e.key === 'Home') to = all[0];
  else if (e.key === 'End') to = all.at(-1);
  else if (e.key === 's') (press('start') ?? press('stop'))?.click();
  else if (e.key === 'l') press('logs')?.click();
  else return;
  e.preventDefault();
  to?.focus();
}

export interface ListProps {
  groups: InstanceGroup[];
  view: 'cards' | 'table';
  engine: EngineState | undefined;
  conflicts: ConflictView[];
  usage: Record<string, InstanceStatsView | undefined>;
  fresh: string | null;
  desktop: boolean;
  actions: (i: InstanceView) => CardActions;
  onOpen: (i: InstanceView) => void;
}

/** The instances grouped by repository, main checkout first; cards or the compact table. */
export function InstanceList(p: ListProps) {
  return (
    <div className="list" onKeyDown={onListKey}>
      {p.groups.map((g) => (
        <section key={g.repository} className="group" aria-labelledby={`group-${g.repository}`}>
          <h2 id={`group-${g.repository}`} className="group-title">
            {g.title} <span className="muted">· {g.instances.length}</span>
          </h2>
          {p.view === 'table' ? (
            <InstanceTable
              instances={g.instances}
              engine={p.engine}
              conflicts={p.conflicts}
              usage={p.usage}
              onLogs={(i) => p.actions(i).onLogs()}
              onOpen={p.onOpen}
            />
          ) : (
            <div className="grid">
              {g.instances.map((i) => (
                <InstanceCard
                  key={i.id}
                  instance={i}
                  engine={p.engine}
                  conflicts={conflictsOf(i, p.conflicts)}
                  fresh={p.fresh === i.id}
                  desktop={p.desktop}
                  usage={p.usage[i.id]}
                  {...p.actions(i)}
                />
              ))}
            </div>
          )}
        </section>
      ))}
    </div>
  );
}
