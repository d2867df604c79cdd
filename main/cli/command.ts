import type { Backend } from '../docker/lifecycle/backend';
import { AxiError } from '../shared/errors';

/** `--raw`: bytes as they came, escape sequences included, even on a terminal (for piping through a pager that renders them). */
export const rawOutput = { on: false };

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Asks a yes/no question on a terminal; undefined when there is none to ask on. */
  confirm?: (question: string) => Promise<boolean>;
}

/** What every command runs with; the engine is made on first use, so commands that never touch it stay cheap. */
export interface CliContext {
  backend: () => Backend;
  io: Io;
  /** Prints a value as indented JSON. */
  json: (value: unknown) => void;
  /** The exit status when the command finishes without throwing (a failed check is 1, not an error). */
  setExit: (code: number) => void;
  /** The package's version (what `axi --version` prints). */
  version: string;
}

export interface CliArgument {
  /** As commander writes it: `<name>` required, `[dir]` optional. */
  readonly name: string;
  readonly description: string;
  readonly default?: string;
}

export interface CliOption {
  readonly flags: string;
  readonly description: string;
  readonly default?: string;
  /** Folds each occurrence into the value (repeatable options). */
  parse?(this: void, value: string, previous: unknown): unknown;
}

/**
 * One CLI command, one file in `commands/` (as npm's CLI). `run` gets the positional
 * arguments in declaration order and the parsed options; it throws AxiError to fail.
 */
export interface CliCommand<A extends readonly unknown[] = readonly unknown[], O = unknown> {
  readonly name: string;
  readonly description: string;
  readonly args?: readonly CliArgument[];
  readonly options?: readonly CliOption[];
  run(ctx: CliContext, args: A, opts: O): Promise<void>;
}

/** The argument every instance command takes. */
export const NAME_ARG: CliArgument = {
  name: '<name>',
  description: 'instance name (repo/name where two repositories have it) or folder',
};
/** The same, optional: without it the command means this checkout's instance (the folder it runs in, or above). */
export const OPTIONAL_NAME_ARG: CliArgument = {
  name: '[name]',
  description: "instance name or folder (default: this checkout's instance)",
};
export const JSON_OPTION: CliOption = { flags: '--json', description: 'print JSON' };
export const YES_OPTION: CliOption = { flags: '--yes', description: 'do not ask for confirmation' };

export async function ttyConfirm(question: string): Promise<boolean> {
  // Loaded here: only a confirmation asks, and readline is a few ms of every command's start-up.
  const { createInterface } = require('node:readline/promises') as typeof import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export async function confirmed(io: Io, yes: boolean | undefined, question: string, flag = '--yes'): Promise<void> {
  if (yes) return;
  if (!io.confirm) throw new AxiError('BAD_INPUT', unconfirmedLine(question, flag));
  if (!(await io.confirm(question))) throw new AxiError('BAD_INPUT', 'cancelled');
}

/** The refusal without a terminal: the question as asked, then what to pass (a list asked about keeps its lines). */
export function unconfirmedLine(question: string, flag = '--yes'): string {
  const said = question.trimEnd();
  const end = /[.?!]$/.test(said) ? '' : '.';
  return `${said}${end}${said.includes('\n') ? '\n' : ' '}Pass ${flag} to confirm.`;
}

/** Compose's progress goes to stderr, except under --json (stdout stays one document, stderr quiet). */
export function progress(io: Io, quiet?: boolean): ((line: string) => void) | undefined {
  return quiet ? undefined : (line) => io.err(line);
}
