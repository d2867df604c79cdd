import path from 'node:path';
import { holderWords } from '../../../shared/display/instanceDisplay';
import { JSON_OPTION, type CliCommand } from '../../command';
import { table } from '../../../api/report/format';

export const command: CliCommand<[], { json?: boolean }> = {
  name: 'check-conflicts',
  description: 'report ports claimed twice in the registry or held by another program; exit 1 if any',
  options: [JSON_OPTION],
  async run({ backend, io, json, setExit }, _args, opts) {
    const service = backend().service;
    const { conflicts, unreadable } = await service.conflictReport();
    // Best effort beside the ports: a registry or engine that cannot be read for names leaves the port report as it is.
    const names = await nameFindings(backend()).catch(() => []);
    if (conflicts.length || names.length) setExit(1);
    for (const u of unreadable)
      io.err(`axi: warning: ${u.file} line ${u.line} matches no known shape, kept as it is: ${JSON.stringify(u.text)}`);
    if (opts.json) return json({ conflicts, unreadableLines: unreadable, ...(names.length ? { names } : {}) });
    for (const n of names) io.out(`${n.message}; fix: ${n.fix}`);
    if (!conflicts.length) return io.out(names.length ? 'No port conflicts.' : 'No port or name conflicts.');
    const heldBy = (c: (typeof conflicts)[number]) =>
      c.kind === 'host'
        ? holderWords(c)
        : c.registryLines
          ? `registered twice (${c.registryLines.map((l) => `${path.basename(service.paths.mirrorFile)} line ${l.line}: ${l.name}`).join('; ')})`
          : 'registered twice';
    io.out(
      table(
        ['PORT', 'KIND', 'SERVICE', 'INSTANCES', 'HELD BY'],
        conflicts.map((c) => [
          String(c.port),
          c.kind,
          c.range ? `${c.service} (range ${c.range})` : c.service,
          c.instances.join(', '),
          heldBy(c),
        ]),
      ),
    );
  },
};

/**
 * Names beyond ports: files of two instances naming one container, volume or network, and containers with an
 * instance's name its project did not make. Read from the local engine; without one, only the files are compared.
 */
async function nameFindings(
  e: ReturnType<Parameters<CliCommand<[], object>['run']>[0]['backend']>,
): Promise<{ kind: string; instance: string; message: string; fix: string }[]> {
  const { staleFindings } =
    require('../../../docker/status/staleChecks') as typeof import('../../../docker/status/staleChecks');
  const { instanceLabels } =
    require('../../../core/registry/instanceRef') as typeof import('../../../core/registry/instanceRef');
  const records = await e.service.records();
  if (!records.length) return [];
  const docker = await e.lifecycle
    .docker(null)
    .then((c) => c.docker)
    .catch(() => undefined);
  const found = await staleFindings(docker, records, e.service.preset, instanceLabels(records));
  return found
    .filter((f) => f.kind === 'name-clash' || f.kind === 'stale-container')
    .map((f) => ({
      kind: f.kind,
      instance: f.instance,
      message:
        f.kind === 'name-clash'
          ? `${f.instance}'s file names the ${f.what} ${f.name}, which ${f.other}'s file names too`
          : f.kind === 'stale-container'
            ? `container ${f.container} has ${f.instance}'s name but is not its project's (${f.project ?? 'no Compose project'})`
            : '',
      fix: f.fix,
    }));
}
