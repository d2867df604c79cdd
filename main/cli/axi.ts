import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import type { Backend } from '../docker/lifecycle/backend';
import { AxiError, engineFailure } from '../shared/errors';
import { rawOutput, ttyConfirm, type CliCommand, type CliContext, type Io } from './command';
import { command as checkConflicts } from './commands/inspect/check-conflicts';
import { command as cloneData } from './commands/data/clone-data';
import { command as cleanup } from './commands/data/cleanup';
import { command as discover } from './commands/project/discover';
import { command as hooks } from './commands/project/hooks';
import { command as trust } from './commands/project/trust';
import { command as adopt } from './commands/project/adopt';
import { command as doctor } from './commands/inspect/doctor';
import { command as down } from './commands/lifecycle/down';
import { command as env } from './commands/project/env';
import { command as list } from './commands/inspect/list';
import { command as logs } from './commands/inspect/logs';
import { command as mcp } from './commands/servers/mcp';
import { command as remove } from './commands/lifecycle/remove';
import { command as reset } from './commands/lifecycle/reset';
import { command as router } from './commands/servers/router';
import { command as restore } from './commands/data/restore';
import { command as serve } from './commands/servers/serve';
import { command as setup } from './commands/project/setup';
import { command as snapshots } from './commands/data/snapshots';
import { command as stack } from './commands/project/stack';
import { command as status } from './commands/inspect/status';
import { pin, unpin } from './commands/lifecycle/pin';
import { command as stop } from './commands/lifecycle/stop';
import { command as stopAll } from './commands/lifecycle/stop-all';
import { command as tunnel } from './commands/servers/tunnel';
import { command as up } from './commands/lifecycle/up';
import { command as urls } from './commands/inspect/urls';
import { command as watchWorktrees } from './commands/project/watch';
import { forTerminal } from '../core/util/controlChars';

/** In the order `axi --help` lists them. */
const COMMANDS: readonly CliCommand[] = [
  setup,
  list,
  status,
  env,
  urls,
  tunnel,
  stack,
  checkConflicts,
  remove,
  discover,
  watchWorktrees,
  hooks,
  trust,
  doctor,
  adopt,
  serve,
  router,
  mcp,
  up,
  stop,
  pin,
  unpin,
  down,
  stopAll,
  reset,
  snapshots,
  restore,
  cloneData,
  logs,
  cleanup,
];

/** On a terminal, controls in what is printed (container output, folder names) are shown escaped; see rawOutput. */
const toStream = (stream: NodeJS.WriteStream, t: string) =>
  stream.write(
    stream.isTTY && !rawOutput.on ? forTerminal(t.endsWith('\n') ? t : t + '\n') : t.endsWith('\n') ? t : t + '\n',
  );

const defaultIo: Io = {
  out: (t) => toStream(process.stdout, t),
  err: (t) => toStream(process.stderr, t),
  // Asked when a command needs it: touching process.stdin makes its stream, a cost every command would pay.
  get confirm() {
    return process.stdin.isTTY ? ttyConfirm : undefined;
  },
};

/** The package's version, read from its package.json (the CLI runs bundled or from tsc's output). */
function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'aegisx-instances') return String(pkg.version);
    } catch {
      // not here: look further up
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/** Declares one command on commander; commander hands the action its arguments, then the options. */
function register(program: Command, c: CliCommand, ctx: CliContext): void {
  const cmd = program.command(c.name).description(c.description);
  for (const a of c.args ?? []) cmd.argument(a.name, a.description, a.default);
  for (const o of c.options ?? [])
    if (o.parse) cmd.option(o.flags, o.description, o.parse, o.default);
    else cmd.option(o.flags, o.description, o.default);
  const n = c.args?.length ?? 0;
  cmd.action((...params: unknown[]) => c.run(ctx, params.slice(0, n), params[n]));
}

/**
 * The command a command line runs, when it names one (`axi [--verbose] list …`): only that one needs to be
 * registered. Anything else (help, a typo, no command) registers them all, for commander's help and hints.
 */
export function commandNamed(argv: readonly string[]): CliCommand | undefined {
  const first = argv.find((a) => !a.startsWith('-'));
  return COMMANDS.find((c) => c.name === first);
}

export function buildProgram(
  backend: () => Backend,
  io: Io,
  setExit: (code: number) => void,
  only?: CliCommand,
): Command {
  const version = packageVersion();
  const program = new Command('axi')
    .description(
      'Run many copies of the same project side by side: per-instance ports, containers, volumes and config.',
    )
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .version(version, '-V, --version', 'print the version')
    .option('--verbose', 'print what axi spawns and asks the engine (same as AXI_DEBUG=1)')
    .hook('preAction', (cmd) => {
      if (cmd.opts().verbose) process.env.AXI_DEBUG = '1';
    })
    .exitOverride();
  const ctx: CliContext = {
    backend,
    io,
    setExit,
    version,
    json: (value) => io.out(JSON.stringify(value, null, 2)),
  };
  // One command's options parsed into commander's objects, not all twenty-five: a few ms of every run.
  for (const c of only ? [only] : COMMANDS) register(program, c, ctx);
  return program;
}

/**
 * The one place a failure becomes an exit status: AxiError carries its own (engine/errors.ts maps
 * each code); commander's usage errors are 2, help and version 0; anything else is a bug, 1.
 */
function exitStatus(err: unknown, io: Io, json = false): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2; // commander has printed its message
  const known = err instanceof AxiError ? err : engineFailure(err);
  if (known) {
    io.err(`axi: ${known.message}`);
    // A program reading --json output gets the failure there too, with the code it can act on.
    if (json) io.out(JSON.stringify({ error: { code: known.code, message: known.message, exitCode: known.exitCode } }));
    return known.exitCode;
  }
  io.err(`axi: unexpected error: ${(err as Error)?.stack ?? String(err)}`);
  return 1;
}

/** Runs the CLI; resolves to the exit code. Errors are one line on stderr. */
export async function main(argv: string[], io: Io = defaultIo, makeBackend?: () => Backend): Promise<number> {
  let exitCode = 0;
  let backend: Backend | undefined;
  // The CLI reads the same settings.json as `axi serve` (Docker endpoint, default bind); one it cannot read is said.
  const create =
    makeBackend ??
    (() => {
      const b = (
        require('../docker/lifecycle/backend') as typeof import('../docker/lifecycle/backend')
      ).createBackend();
      const problem = b.settings.read().problem;
      if (problem) io.err(`axi: warning: ${problem}`);
      return b;
    });
  const getBackend = () => (backend ??= create());
  const program = buildProgram(getBackend, io, (c) => (exitCode = c), commandNamed(argv));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    return exitStatus(err, io, argv.includes('--json'));
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
