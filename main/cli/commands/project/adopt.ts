import { JSON_OPTION, progress, type CliCommand } from '../../command';

export const command: CliCommand<[dir: string], { start?: boolean; json?: boolean }> = {
  name: 'adopt',
  description:
    "take over a stack the team's scripts (or docker-compose in the folder) made: same ports, same volumes, axi's containers",
  args: [{ name: '[dir]', description: 'the folder whose stack to adopt', default: '.' }],
  options: [
    { flags: '--no-start', description: "leave axi's containers to a later axi up (started if the stack ran)" },
    JSON_OPTION,
  ],
  async run({ backend, io, json }, [dir], o) {
    const { adoptStack } =
      require('../../../docker/status/adoption') as typeof import('../../../docker/status/adoption');
    const e = backend();
    const { docker } = await e.lifecycle.docker(null);
    const r = await adoptStack(e.service, docker, dir);
    const start = r.wasRunning && o.start !== false;
    if (!o.json) for (const s of r.steps) io.out(`- ${s}`);
    const { startAdopted } =
      require('../../../docker/status/adoptStart') as typeof import('../../../docker/status/adoptStart');
    const s = start ? await startAdopted(e.lifecycle, docker, r, progress(io, o.json)) : undefined;
    if (o.json) return json({ ...r, started: Boolean(s) });
    io.out(
      s
        ? `Adopted ${r.name}: started on the same volumes (${s.status}).`
        : `Adopted ${r.name}: start it with axi up ${r.name} (same volumes).`,
    );
  },
};
