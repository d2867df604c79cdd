import type { ConflictView, InstanceStatsView, InstanceView, Overview } from '../../../main/shared/api/table';
import { isDesktop } from '../bridge';
import { EmptyState } from './EmptyState';
import type { Panel } from '../card/panel';
import { InstanceList } from './InstanceList';
import { ListToolbar } from './ListToolbar';
import type { ListState } from '../hooks/useAppState';

const NO_CONFLICTS: ConflictView[] = [];

/** The window's main region: the empty state, or the toolbar and the grouped list of instances. */
export function InstancesArea(props: {
  overview: Overview | undefined;
  instances: InstanceView[];
  list: ListState;
  usage: Record<string, InstanceStatsView | undefined>;
  fresh: string | null;
  open: (panel: Panel, i: InstanceView) => void;
  showCard: (i: InstanceView) => void;
}) {
  const { overview, instances, list } = props;
  const shown = list.visible.size;
  return (
    <main id="instances" tabIndex={-1} aria-label="instances">
      {overview && instances.length === 0 && !overview.refreshError ? (
        <EmptyState />
      ) : (
        <>
          <ListToolbar
            query={list.query}
            onQuery={list.setQuery}
            filter={list.filter}
            onFilter={list.setFilter}
            view={list.narrow ? null : list.view}
            onView={list.setView}
            shown={shown}
            total={instances.length}
          />
          {shown === 0 && instances.length > 0 && <p className="muted">No instance matches.</p>}
          <InstanceList
            groups={list.groups}
            shown={list.visible}
            view={list.view}
            engine={overview?.engine}
            conflicts={overview?.conflicts ?? NO_CONFLICTS}
            usage={props.usage}
            fresh={props.fresh}
            desktop={isDesktop}
            open={props.open}
            showCard={props.showCard}
          />
        </>
      )}
    </main>
  );
}
