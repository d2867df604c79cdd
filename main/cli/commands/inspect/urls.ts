import { movedWhileRunning } from '../../../api/overview/movedPorts';
import { urlsWithNames } from '../../../router/links';
import { wakingCommand } from '../../wake';
import { table } from '../../../api/report/format';

export const command = wakingCommand(
  'urls',
  "the instance's names on the local router, then its port URLs and connection strings",
  async ({ io, json }, b, rec, o) => {
    const u = await urlsWithNames(b, rec, await movedWhileRunning(b, rec));
    if (o.json) return json(u);
    // Name first; the port URL beside it, for Safari and the CLIs that do not resolve *.localhost.
    const portOf = (k: string) => u.urls[k === 'APP_URL' ? 'WEB_URL' : k];
    const rows = Object.entries(u.names).map(([k, url]) => [k, url, portOf(k) ?? '-']);
    for (const [k, url] of Object.entries(u.urls)) if (!u.names[k]) rows.push([k, url, '-']);
    io.out(table(['NAME', 'URL', 'BY PORT'], rows));
    for (const [k, p] of Object.entries(u.pending ?? {}))
      io.err(
        `axi: note: ${k} is still on ${p.running} until ${rec.name} restarts; ${p.port} is not in effect yet: restart to use it`,
      );
    if (!u.routerRunning)
      io.err('axi: note: no router runs, so no NAME.REPO.localhost names (axi serve, axi router or the app runs one)');
    for (const host of u.clashes ?? [])
      io.err(`axi: warning: ${host} is another instance's name too, so the router routes it to neither`);
  },
);
