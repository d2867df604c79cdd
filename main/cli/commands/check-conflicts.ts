import path from 'node:path';
import { describeOwner } from '../../core/hostPorts';
import { JSON_OPTION, type CliCommand } from '../command';
import { table } from '../format';

export const command: CliCommand<[], { json?: boolean }> = {
  name: 'check-conflicts',
  description: 'report ports claimed twice in the registry or held by another program; exit 1 if any',
  options: [JSON_OPTION],
  async run({ backend, io, json, setExit }, _args, opts) {
    const service = backend().service;
    const { conflicts, unreadable } = await service.conflictReport();
    if (conflicts.length) setExit(1);
    for (const u of unreadable)
      io.err(`axi: warning: ${u.file} line ${u.line} matches no known shape, kept as it is: ${JSON.stringify(u.text)}`);
    if (opts.json) return json({ conflicts, unreadableLines: unreadable });
    if (!conflicts.length) return io.out('No port conflicts.');
    const heldBy = (c: (typeof conflicts)[number]) =>
      c.kind === 'host'
        ? describeOwner(c.process)
        : c.registryLines
          ? `registered twice (${c.registryLines.map((l) => `${path.basename(service.paths.mirrorFile)} line ${l.line}: ${l.name}`).join('; ')})`
          : 'registered twice';
    io.out(
      table(
        ['PORT', 'KIND', 'SERVICE', 'INSTANCES', 'HELD BY'],
        conflicts.map((c) => [String(c.port), c.kind, c.service, c.instances.join(', '), heldBy(c)]),
      ),
    );
  },
};
