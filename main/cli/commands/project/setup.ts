import path from 'node:path';
import { labelsById } from '../../../core/registry/instanceRef';
import { DEFAULT_BIND } from '../../../shared/schemas/settings';
import { confirmed, JSON_OPTION, progress, YES_OPTION, type CliCommand } from '../../command';
import { copiedFigures } from '../../../shared/display/units';
import { portsLine, snapshotJson, summaryJson } from '../../../api/report/format';
import { undoRegistration } from '../../../api/handlers/registerUndo';
import type { Backend } from '../../../docker/lifecycle/backend';

interface Opts {
  template?: string;
  reassign?: boolean;
  all?: boolean;
  force?: boolean;
  name?: string;
  projectName?: string;
  from?: string[];
  bind?: string;
  dataFrom?: string;
  context?: string;
  engine?: string;
  yes?: boolean;
  json?: boolean;
  replace?: boolean;
}

export const command: CliCommand<[dir: string], Opts> = {
  name: 'setup',
  description: 'register a checkout and write its .env.local and docker-compose.instance.yml',
  args: [{ name: '[dir]', description: 'the checkout folder', default: '.' }],
  options: [
    {
      flags: '--template <name>',
      description:
        "use the repository's templates/<name>.yml (aegisx: the built-in AegisX stack) instead of the folder's own compose file",
    },
    {
      flags: '--reassign',
      description: 'move the ports another instance or program holds (a main checkout: back to its base ports)',
    },
    { flags: '--all', description: 'with --reassign: move every port, not only the taken ones' },
    {
      flags: '--replace',
      description:
        "give the folder another instance although its registered one runs (that one's containers are stopped, volumes kept)",
    },
    { flags: '--force', description: 'overwrite hand-edited instance files (a .bak copy is kept)' },
    { flags: '--name <name>', description: 'instance name instead of the one derived from the folder name' },
    {
      flags: '--from <file>',
      description:
        "make the instance file from this compose file (repeat for override files); default: the folder's compose.yaml or docker-compose.yml, if any",
      parse: (f: string, all: string[] = []) => [...all, f],
    },
    {
      flags: '-p, --project-name <name>',
      description: "the main checkout's Compose project name, as `docker compose -p NAME` (a --from stack)",
    },
    {
      flags: '--bind <address>',
      description: 'publish ports on this host address (default 127.0.0.1: this machine only; 0.0.0.0 for the LAN)',
    },
    {
      flags: '--data-from <source>',
      description: "then copy SOURCE's data into it (an instance, a folder, or main: this repository's main checkout)",
    },
    {
      flags: '--context <name>',
      description: 'run it on the Docker engine of this context (docker context ls); default: the local engine',
    },
    {
      flags: '--engine <url>',
      description:
        'run it on the Docker engine at this DOCKER_HOST value (tcp://HOST:2375, ssh://USER@HOST); local: this machine',
    },
    YES_OPTION,
    JSON_OPTION,
  ],
  async run({ backend, io, json }, [dir], opts) {
    const { engineOption } =
      require('../../../docker/engine/engines') as typeof import('../../../docker/engine/engines');
    const { context, engine, ...rest } = opts;
    // A registration this call makes has no data to lose, and is undone when its copy fails (registerUndo.ts); an
    // existing one's data is replaced only when confirmed (after a snapshot), even with --reassign.
    const known = opts.dataFrom
      ? await backend()
          .service.find(dir)
          .then(Boolean, () => false)
      : true;
    const r = await backend().service.setup(dir, { ...rest, engine: engineOption({ context, engine }) });
    if (opts.dataFrom && known)
      await confirmed(
        io,
        opts.yes,
        `Replace ${r.name}'s data with ${opts.dataFrom}'s? A snapshot of it is kept first.`,
      );
    const { lifecycle } = backend();
    const copy = opts.dataFrom
      ? await lifecycle.cloneData(opts.dataFrom, r.id, { onOutput: progress(io, opts.json) }).catch((err: unknown) => {
          if (known) throw err;
          return undoRegistration(lifecycle, r, err);
        })
      : undefined;
    const trust = await hostAccessNote(backend().service, r.folder);
    if (trust) r.notes.push(trust);
    const data = copy && {
      copied: copy.copied,
      unmatched: copy.unmatched,
      snapshot: copy.snapshot ? snapshotJson(copy.snapshot) : null,
    };
    if (opts.json)
      return json({
        ...summaryJson(r),
        written: r.written,
        allocated: r.allocated,
        using: r.using,
        prefix: r.prefix,
        notes: r.notes,
        ...(data ? { data } : {}),
      });
    const label = labelsById(await backend().service.list()).get(r.id) ?? r.name; // repo/name when another repository has the name
    io.out(
      [
        `${label}${r.main ? ' (main checkout)' : ''}  ${r.folder}`,
        `  project ${r.project}, ${r.prefix}${r.slot === null ? '' : `, slot ${r.slot}`}${r.template ? `, template ${r.template}` : ''}`,
        `  ${r.using}`,
        ...(r.engine ? [`  on the Docker engine ${r.engine}`] : []),
        ...(await routerNameLines(backend(), r.id)),
        `  ${portsLine(r)}${r.bind === DEFAULT_BIND ? '' : `  (published on ${r.bind}: reachable from the LAN)`}`,
        ...Object.entries(r.written).map(([f, what]) => `  ${path.basename(f).padEnd(28)} ${what}`),
        ...r.notes.map((n) => `  note: ${n}`),
        ...(copy?.copied.map((p) => `  data: copied ${p.from} → ${p.to}: ${copiedFigures(p)}, verified`) ?? []),
        ...(copy?.snapshot ? [`  data: its previous volumes kept in snapshot ${copy.snapshot.id}`] : []),
      ].join('\n'),
    );
  },
};

/** Its name on the local router (the web service's), when it has one; where no router runs, what runs one. */
async function routerNameLines(b: Backend, id: string): Promise<string[]> {
  const { recordRoutes, linksOf } =
    require('../../../core/routes/routeLinks') as typeof import('../../../core/routes/routeLinks');
  const { routerBase } =
    require('../../../core/routes/routerState') as typeof import('../../../core/routes/routerState');
  const base = routerBase(b.service.paths.home, b.settings.read().settings);
  const links = linksOf(await recordRoutes(await b.service.records()), id, base);
  const web = links.find((l) => l.web) ?? links[0];
  if (!web) return [];
  return [`  router ${web.url}${base.running ? '' : ' (once a router runs: axi serve, axi router or the app)'}`];
}

/** One line when the compose file reaches the host and nobody accepted it: what, and how a person accepts it. */
async function hostAccessNote(service: import('../../../core/instances/service').InstanceService, folder: string) {
  const { hostAccess } =
    require('../../../docker/compose/hostAccess') as typeof import('../../../docker/compose/hostAccess');
  const { describeReach } =
    require('../../../core/project/hostReach') as typeof import('../../../core/project/hostReach');
  const a = await hostAccess(service.paths.home, { folder }).catch(() => undefined);
  if (!a || a.accepted) return undefined;
  const shown = describeReach(a.items.slice(0, 3)) + (a.items.length > 3 ? `; and ${a.items.length - 3} more` : '');
  return `its compose file reaches the host (${shown}); review it: it starts only once you accept it with axi trust ${folder}`;
}
