import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { AxiError } from '../engine/errors';
import { describeOwner } from '../engine/hostPorts';
import { AEGISX_SERVICES } from '../engine/preset';
import { InstanceService, type InstanceSummary } from '../engine/service';
import { portsLine, table } from './format';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};

function json(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

function summaryJson(s: InstanceSummary) {
  return { name: s.name, folder: s.folder, project: s.project, main: s.main, slot: s.slot, template: s.template, ports: s.ports, files: s.files };
}

function listTable(items: InstanceSummary[]): string {
  const services = [...AEGISX_SERVICES] as string[];
  return table(
    ['NAME', ...services.map((s) => s.toUpperCase()), 'FOLDER'],
    items.map((i) => [i.name, ...services.map((s) => String(i.ports[s] ?? '-')), i.folder]),
  );
}

export function buildProgram(service: () => InstanceService, io: Io, setExit: (code: number) => void): Command {
  const program = new Command('axi')
    .description('Run many copies of the same project side by side: per-instance ports, containers, volumes and config.')
    .showHelpAfterError(false)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  program
    .command('setup')
    .description('register a checkout and write its .env.local and docker-compose.instance.yml')
    .argument('[dir]', 'the checkout folder', '.')
    .option('--template <name>', "use the repository's templates/<name>.yml instead of the built-in AegisX stack")
    .option('--reassign', 'allocate fresh ports instead of the recorded ones')
    .option('--force', 'overwrite hand-edited instance files (a .bak copy is kept)')
    .option('--name <name>', 'instance name instead of the one derived from the folder name')
    .option('--json', 'print JSON')
    .action(async (dir: string, opts: { template?: string; reassign?: boolean; force?: boolean; name?: string; json?: boolean }) => {
      const r = await service().setup(dir, opts);
      if (opts.json) return json(io, { ...summaryJson(r), written: r.written, allocated: r.allocated, notes: r.notes });
      const lines = [
        `${r.name}${r.main ? ' (main checkout)' : ''}  ${r.folder}`,
        `  project ${r.project}${r.slot === null ? '' : `, slot ${r.slot}`}${r.template ? `, template ${r.template}` : ''}`,
        `  ${portsLine(r.ports)}`,
        ...Object.entries(r.written).map(([f, what]) => `  ${path.basename(f).padEnd(28)} ${what}`),
        ...r.notes.map((n) => `  note: ${n}`),
      ];
      io.out(lines.join('\n'));
    });

  program
    .command('list')
    .description('list registered instances')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const items = await service().list();
      if (opts.json) return json(io, items.map(summaryJson));
      io.out(items.length ? listTable(items) : 'No instances registered yet. Register one with: axi setup DIR');
    });

  program
    .command('check-conflicts')
    .description('report ports claimed twice in the registry or held by another program; exit 1 if any')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const conflicts = await service().checkConflicts();
      if (conflicts.length) setExit(1);
      if (opts.json) return json(io, { conflicts });
      if (!conflicts.length) return io.out('No port conflicts.');
      io.out(
        table(
          ['PORT', 'KIND', 'SERVICE', 'INSTANCES', 'HELD BY'],
          conflicts.map((c) => [
            String(c.port),
            c.kind,
            c.service,
            c.instances.join(', '),
            c.kind === 'host' ? describeOwner(c.process) : 'registered twice',
          ]),
        ),
      );
    });

  program
    .command('remove')
    .description('forget a registration (files and volumes are kept)')
    .argument('<name>', 'instance name or folder')
    .action(async (name: string) => {
      const r = await service().remove(name);
      io.out(`Removed ${r.name} from the registry${r.folder ? ` (files in ${r.folder} kept)` : ''}.`);
    });

  program.addOption(new Option('--no-color', 'accepted for scripts; output is never coloured').hideHelp());
  return program;
}

/** Runs the CLI; resolves to the exit code. Errors are one line on stderr. */
export async function main(argv: string[], io: Io = defaultIo, makeService = () => new InstanceService()): Promise<number> {
  let exitCode = 0;
  let svc: InstanceService | undefined;
  const program = buildProgram(() => (svc ??= makeService()), io, (c) => (exitCode = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are successes; every other parse failure is bad usage.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof AxiError) {
      io.err(`axi: ${err.message}`);
      return err.exitCode;
    }
    io.err(`axi: unexpected error: ${(err as Error)?.stack ?? String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
