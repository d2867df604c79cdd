import { JSON_OPTION, type CliCommand } from '../../command';

export const command: CliCommand<[], { fix?: boolean; json?: boolean }> = {
  name: 'doctor',
  description:
    'compare the registry with every engine it names; --fix re-adopts running instances and records their ports',
  options: [{ flags: '--fix', description: 'repair what can be repaired (changes nothing without it)' }, JSON_OPTION],
  async run({ backend, io, json, setExit }, _args, opts) {
    const { doctor } = require('../../../docker/status/doctor') as typeof import('../../../docker/status/doctor');
    const e = backend();
    const r = await doctor(e.service, async (engine) => (await e.lifecycle.docker(engine)).docker, Boolean(opts.fix));
    if (r.unfixed.length) setExit(1);
    const { engineStorage, storageLine } =
      require('../../../docker/status/engineStorage') as typeof import('../../../docker/status/engineStorage');
    const storage = await engineStorage(e.lifecycle, await e.service.records());
    if (opts.json) return json({ ...r, storage });
    for (const s of storage) io.out(storageLine(s));
    if (!r.findings.length) return io.out('The registry matches the engine.');
    const on = (f: { engine?: string }) => (f.engine ? ` on engine ${f.engine}` : '');
    const ports = (p: Record<string, number>) =>
      Object.entries(p)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none';
    const describe = (f: (typeof r.findings)[number]): string => {
      switch (f.kind) {
        case 'folder-gone':
          return `${f.instance}'s folder is gone (${f.folder})`;
        case 'stale-container':
          return `container ${f.container} has ${f.instance}'s name but is not its project's (${f.project ?? 'no Compose project'})`;
        case 'name-clash':
          return `${f.instance}'s file names the ${f.what} ${f.name}, which ${f.other}'s file names too`;
        case 'other-project':
          return `${f.instance}'s folder runs as another Compose project, ${f.project} (${f.containers.join(', ')})`;
        case 'seed-stack':
          return f.running
            ? `${f.folder} runs as Compose project ${f.project} (${f.containers.join(', ')}) without a registration: the team's scripts made it`
            : `${f.folder} has the stopped containers of Compose project ${f.project} (${f.containers.join(', ')}) without a registration: the team's scripts made them`;
        case 'engine-unreachable':
          return `engine ${f.engine} does not answer: ${f.instances.join(', ')} could not be checked`;
        case 'unregistered':
          return `project ${f.project} runs${on(f)} without a registration (${f.folder ?? 'folder unknown'})`;
        case 'shared-project':
          return `${f.instances[0]} and ${f.instances[1]} share the Compose project ${f.project} (each one's stop and remove reach the other's containers and volumes)`;
        case 'port-mismatch':
          return `${f.instance} publishes ${ports(f.published)}${on(f)} but the registry says ${ports(f.recorded)}`;
        case 'port-taken':
          return `port ${f.port} (${f.service}) of ${f.instance} is held by ${f.process ? `${f.process.name} (pid ${f.process.pid})` : 'another program'}`;
      }
    };
    for (const f of r.unfixed) io.out(`- ${describe(f)}; fix: ${f.fix}`);
    for (const line of r.fixed) io.out(`fixed: ${line}`);
  },
};
