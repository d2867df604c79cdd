/**
 * What the router routes by: the overview the window gets (its instances' names and live state),
 * kept current by its `overview` events. No second status model and no second registry read.
 */
import type { RoutedInstance } from '../core/routes/routeDecision';
import type { Route, RouteTable } from '../core/routes/routes';
import type { InstanceView, Overview } from '../shared/api/table';
import type { ListedInstance } from './pages';

export interface RouterFeed {
  table(): RouteTable;
  instances(): ReadonlyMap<string, RoutedInstance>;
  /** The running instances with their names, for the 404 page. */
  running(): ListedInstance[];
}

/** The overview's names as a route table (the clashes come with the overview). */
export function tableOf(o: Pick<Overview, 'instances' | 'routeClashes'>): RouteTable {
  const byHost = new Map<string, Route>();
  const byId = new Map<string, Route[]>();
  for (const i of o.instances) {
    const routes = (i.routes ?? []).map((r) => ({ host: new URL(r.url).hostname, id: i.id, key: r.key, web: r.web }));
    byId.set(i.id, routes);
    for (const r of routes) byHost.set(r.host, r);
  }
  return { byHost, byId, clashes: new Map((o.routeClashes ?? []).map((c) => [c.host, c.ids])) };
}

function listed(i: InstanceView): ListedInstance {
  return { label: i.label, urls: (i.routes ?? []).filter((r) => r.key !== null).map((r) => r.url) };
}

/** A feed that follows a source of overviews: `subscribe` calls back with each new one. */
export class OverviewFeed implements RouterFeed {
  private routes: RouteTable = { byHost: new Map(), byId: new Map(), clashes: new Map() };
  private byId = new Map<string, InstanceView>();
  private list: ListedInstance[] = [];

  update(o: Pick<Overview, 'instances' | 'routeClashes'>): void {
    this.routes = tableOf(o);
    this.byId = new Map(o.instances.map((i) => [i.id, i]));
    this.list = o.instances
      .filter((i) => i.status === 'running' || i.status === 'partial')
      .map(listed)
      .sort((a, b) => a.label.localeCompare(b.label));
  }

  table(): RouteTable {
    return this.routes;
  }

  instances(): ReadonlyMap<string, RoutedInstance> {
    return this.byId;
  }

  running(): ListedInstance[] {
    return this.list;
  }
}
