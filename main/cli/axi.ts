import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import type { Engine } from '../docker/engine';
import type { InstanceStatus } from '../docker/status';
import { AxiError } from '../engine/errors';
import { instanceId, labelsById } from '../engine/instanceRef';
import { describeOwner } from '../engine/hostPorts';
import { AEGISX_SERVICES } from '../engine/preset';
import { DEFAULT_BIND, type InstanceSummary } from '../engine/service';
import { addDockerCommands, statusJson, statusLine, ttyConfirm, type Io } from './dockerCommands';
import { portsLine, table } from './format';

const defaultIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  confirm: process.stdin.isTTY ? ttyConfirm : undefined,
};

function summaryJson(s: InstanceSummary) {
  return { name: s.name, id: s.id, folder: s.folder, project: s.project, main: s.main, slot: s.slot, template: s.template, ports: s.ports, bind: s.bind, files: s.files };
}

/**
 * The seed's columns while every instance has the AegisX layout; else one PORTS column naming each instance's own.
 * NAME is the bare name, or `repo/name` where two repositories have it. `statuses` are by instance id.
 */
export function listTable(items: InstanceSummary[], statuses: Map<string, InstanceStatus>): string {
  const services = [...AEGISX_SERVICES] as string[];
  const seedLayout = items.every((i) => Object.keys(i.ports).every((k) => services.includes(k)));
  const status = (i: InstanceSummary) => statuses.get(i.id)?.status ?? 'unknown';
  const labels = labelsById(items);
  const label = (i: InstanceSummary) => labels.get(i.id)!;
  // Only a non-default address is worth a column: loopback is what everybody has.
  const bindCol = items.some((i) => i.bind !== DEFAULT_BIND);
  const bind = (i: InstanceSummary) => (bindCol ? [i.bind === DEFAULT_BIND ? 'local' : `${i.bind} (LAN)`] : []);
  if (seedLayout) {
    return table(
      ['NAME', 'STATUS', ...services.map((s) => s.toUpperCase()), ...(bindCol ? ['BIND'] : []), 'FOLDER'],
      items.map((i) => [label(i), status(i), ...services.map((s) => String(i.ports[s] ?? '-')), ...bind(i), i.folder]),
    );
  }
  const ports = (i: InstanceSummary) => Object.entries(i.ports).map(([k, p]) => `${k} ${p}`).join(', ') || '-';
  return table(['NAME', 'STATUS', 'PORTS', ...(bindCol ? ['BIND'] : []), 'FOLDER'], items.map((i) => [label(i), status(i), ports(i), ...bind(i), i.folder]));
}

/** The package's version, read from its package.json (the CLI runs bundled or from tsc's output). */
function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'aegisx-instances') return String(pkg.version);
    } catch {
      // not here: look further up
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

export function buildProgram(engine: () => Engine, io: Io, setExit: (code: number) => void): Command {
  const json = (value: unknown) => io.out(JSON.stringify(value, null, 2));
  const program = new Command('axi')
    .description('Run many copies of the same project side by side: per-instance ports, containers, volumes and config.')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--verbose', 'print what axi spawns and asks the engine (same as AXI_DEBUG=1)')
    .hook('preAction', (cmd) => {
      if (cmd.opts().verbose) process.env.AXI_DEBUG = '1';
    })
    .exitOverride();

  program
    .command('setup')
    .description('register a checkout and write its .env.local and docker-compose.instance.yml')
    .argument('[dir]', 'the checkout folder', '.')
    .option('--template <name>', "use the repository's templates/<name>.yml instead of the built-in AegisX stack")
    .option('--reassign', 'allocate fresh ports instead of the recorded ones')
    .option('--force', 'overwrite hand-edited instance files (a .bak copy is kept)')
    .option('--name <name>', 'instance name instead of the one derived from the folder name')
    .option('--from <file>', "make the instance file from the project's own compose file (repeat for override files)", (f: string, all: string[] = []) => [...all, f])
    .option('--bind <address>', 'publish ports on this host address (default 127.0.0.1: this machine only; 0.0.0.0 for the LAN)')
    .option('--json', 'print JSON')
    .action(async (dir: string, opts: { template?: string; reassign?: boolean; force?: boolean; name?: string; from?: string[]; bind?: string; json?: boolean }) => {
      const r = await engine().service.setup(dir, opts);
      if (opts.json) return json({ ...summaryJson(r), written: r.written, allocated: r.allocated, notes: r.notes });
      const label = labelsById(await engine().service.list()).get(r.id) ?? r.name; // repo/name when another repository has the name
      io.out([
        `${label}${r.main ? ' (main checkout)' : ''}  ${r.folder}`,
        `  project ${r.project}${r.slot === null ? '' : `, slot ${r.slot}`}${r.template ? `, template ${r.template}` : ''}`,
        `  ${portsLine(r.ports)}${r.bind === DEFAULT_BIND ? '' : `  (published on ${r.bind}: reachable from the LAN)`}`,
        ...Object.entries(r.written).map(([f, what]) => `  ${path.basename(f).padEnd(28)} ${what}`),
        ...r.notes.map((n) => `  note: ${n}`),
      ].join('\n'));
    });

  program
    .command('list')
    .description('list registered instances with their live status')
    .option('--json', 'print JSON')
    .option('--watch', 'print each status change as it happens (one JSON object per line with --json)')
    .action(async (opts: { json?: boolean; watch?: boolean }) => {
      const e = engine();
      if (opts.watch) return (require('./watch') as typeof import('./watch')).watchStatus(e, io, Boolean(opts.json));
      const records = await e.service.registry.list(); // read once, for the table and for the statuses
      const items = records.map((r) => e.service.summarize(r));
      const statuses = new Map<string, InstanceStatus>();
      try {
        for (const s of await e.lifecycle.statuses(records)) statuses.set(instanceId(s.record), s);
      } catch (err) {
        if (!(err instanceof AxiError && err.code === 'DOCKER_UNAVAILABLE')) throw err;
        if (items.length) io.err(`axi: warning: ${err.message}; status unknown`);
      }
      const status = (id: string) => statuses.get(id) ?? { status: 'unknown', services: {} };
      if (opts.json) return json(items.map((i) => ({ ...summaryJson(i), status: status(i.id).status, services: status(i.id).services })));
      io.out(items.length ? listTable(items, statuses) : 'No instances registered yet. Register one with: axi setup DIR');
    });

  program
    .command('status')
    .description("one instance's status per service")
    .argument('<name>', 'instance name (repo/name where two repositories have it) or folder')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const s = await engine().lifecycle.status(name);
      opts.json ? json(statusJson(s)) : io.out(statusLine(s));
    });

  program
    .command('check-conflicts')
    .description('report ports claimed twice in the registry or held by another program; exit 1 if any')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const service = engine().service;
      const { conflicts, unreadable } = await service.conflictReport();
      if (conflicts.length) setExit(1);
      for (const u of unreadable) io.err(`axi: warning: ${u.file} line ${u.line} matches no known shape, kept as it is: ${JSON.stringify(u.text)}`);
      if (opts.json) return json({ conflicts, unreadableLines: unreadable });
      if (!conflicts.length) return io.out('No port conflicts.');
      const heldBy = (c: (typeof conflicts)[number]) =>
        c.kind === 'host' ? describeOwner(c.process) : c.registryLines ? `registered twice (${c.registryLines.map((l) => `${path.basename(service.paths.mirrorFile)} line ${l.line}: ${l.name}`).join('; ')})` : 'registered twice';
      io.out(table(['PORT', 'KIND', 'SERVICE', 'INSTANCES', 'HELD BY'], conflicts.map((c) => [String(c.port), c.kind, c.service, c.instances.join(', '), heldBy(c)])));
    });

  program
    .command('remove')
    .description('forget a registration (files and volumes are kept); a running instance needs --down')
    .argument('<name>', 'instance name (repo/name where two repositories have it) or folder')
    .option('--down', 'stop and remove its containers first (volumes are kept)')
    .option('--keep-containers', 'forget it even though its containers run (they keep serving the old ports)')
    .action(async (name: string, o: { down?: boolean; keepContainers?: boolean }) => {
      const r = await engine().lifecycle.remove(name, { ...o, onOutput: (line) => io.err(line) });
      io.out(`Removed ${r.name} from the registry${r.removedContainers ? ', with its containers' : ''}${r.folder ? ` (files in ${r.folder} and volumes kept)` : ''}.`);
    });

  program
    .command('discover')
    .description("a repository's git worktrees: branch, registration state, ports")
    .argument('[dir]', 'any worktree of the repository', '.')
    .option('--json', 'print JSON')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const { discoverWorktrees, worktreeRows } = require('../engine/worktrees') as typeof import('../engine/worktrees');
      const list = await discoverWorktrees(engine().service, dir);
      if (opts.json) return json(list);
      io.out(table(['NAME', 'STATE', 'BRANCH', 'PORTS', 'PATH'], worktreeRows(list)));
      const todo = list.filter((w) => w.state === 'unregistered').length;
      const gone = list.filter((w) => w.state === 'gone').map((w) => w.name);
      if (todo) io.out(`\n${todo} not registered: axi setup PATH (the ports above are what setup would give now)`);
      if (gone.length) io.out(`Gone (worktree removed): ${gone.join(', ')}; forget with axi cleanup`);
    });

  program
    .command('doctor')
    .description('compare the registry with the engine; --fix re-adopts running instances and records their ports')
    .option('--fix', 'repair what can be repaired (changes nothing without it)')
    .option('--json', 'print JSON')
    .action(async (opts: { fix?: boolean; json?: boolean }) => {
      const { doctor } = require('../docker/doctor') as typeof import('../docker/doctor');
      const e = engine();
      const { docker } = await e.lifecycle.docker();
      const r = await doctor(e.service, docker, Boolean(opts.fix));
      if (r.unfixed.length) setExit(1);
      if (opts.json) return json(r);
      if (!r.findings.length) return io.out('The registry matches the engine.');
      const describe = (f: (typeof r.findings)[number]) =>
        f.kind === 'unregistered' ? `project ${f.project} runs without a registration (${f.folder ?? 'folder unknown'})`
        : f.kind === 'port-mismatch' ? `${f.instance} publishes ${JSON.stringify(f.published)} but the registry says ${JSON.stringify(f.recorded)}`
        : `port ${f.port} (${f.service}) of ${f.instance} is held by ${f.process ? `${f.process.name} (pid ${f.process.pid})` : 'another program'}`;
      for (const f of r.unfixed) io.out(`- ${describe(f)}; fix: ${f.fix}`);
      for (const line of r.fixed) io.out(`fixed: ${line}`);
    });

  program
    .command('serve')
    .description('the dashboard in a browser: loopback only, guarded by the token in the printed URL')
    .option('--port <n>', 'port on 127.0.0.1 (0: any free one)', '7420')
    .action(async (opts: { port: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AxiError('BAD_INPUT', `--port ${JSON.stringify(opts.port)} is not a port number`);
      const { serve } = require('../serve/serveCommand') as typeof import('../serve/serveCommand');
      await serve(engine(), { port, out: io.out });
    });

  addDockerCommands(program, engine, io, json);
  return program;
}

/** Runs the CLI; resolves to the exit code. Errors are one line on stderr. */
export async function main(argv: string[], io: Io = defaultIo, makeEngine?: () => Engine): Promise<number> {
  let exitCode = 0;
  let engine: Engine | undefined;
  const getEngine = () => (engine ??= (makeEngine ?? (require('../docker/engine') as typeof import('../docker/engine')).createEngine)());
  const program = buildProgram(getEngine, io, (c) => (exitCode = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2; // help/version succeed; other parse failures are bad usage
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
