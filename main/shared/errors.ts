/**
 * Errors that reach a user. Each carries the exit code the CLI uses and a
 * stable `code` that crosses IPC/HTTP as `{ code, message }`.
 *
 * Exit codes: 0 ok, 1 conflict or failed check, 2 bad usage or input,
 * 3 no Docker engine answering.
 */
export type ErrorCode =
  | 'BAD_INPUT'
  | 'BAD_NAME'
  | 'NOT_FOUND'
  | 'NAME_TAKEN'
  | 'AMBIGUOUS'
  | 'REGISTRY_CORRUPT'
  | 'PORT_CONFLICT'
  | 'IN_USE'
  | 'NOT_OURS'
  | 'NO_FREE_SLOT'
  | 'HAND_EDITED'
  | 'TEMPLATE'
  | 'CHOOSE_STACK'
  | 'LOCKED'
  | 'DOCKER_UNAVAILABLE'
  | 'DOCKER'
  | 'OUT_OF_SCOPE'
  | 'BUSY'
  | 'NOT_TRUSTED'
  | 'INTERNAL';

const EXIT_CODES: Record<ErrorCode, number> = {
  BAD_INPUT: 2,
  BAD_NAME: 2,
  NOT_FOUND: 2,
  NAME_TAKEN: 2,
  AMBIGUOUS: 2,
  REGISTRY_CORRUPT: 2,
  TEMPLATE: 2,
  /** A folder with its own compose file and something saying the AegisX stack: the user picks one. */
  CHOOSE_STACK: 2,
  PORT_CONFLICT: 1,
  IN_USE: 1,
  /** Another registry's, folder's or user's containers or volumes: refused before anything is touched. */
  NOT_OURS: 1,
  NO_FREE_SLOT: 1,
  HAND_EDITED: 1,
  LOCKED: 1,
  DOCKER: 1,
  DOCKER_UNAVAILABLE: 3,
  /** `axi mcp` scoped to one checkout, asked about another instance. */
  OUT_OF_SCOPE: 2,
  /** Another operation runs on it: retry once it ends. */
  BUSY: 1,
  /** A compose file reaches the host and no person has accepted that yet (`axi trust`, the window's dialog). */
  NOT_TRUSTED: 2,
  INTERNAL: 1,
};

/**
 * The step that fixes a refusal, kept apart from the words so each front end says it its own way:
 * the CLI a command (the message), the window a button, `axi mcp` a tool call.
 */
export interface Fix {
  action: 'start' | 'stop' | 'list' | 'snapshots' | 'setup' | 'copyData' | 'removeDown' | 'reassign' | 'trust';
  /** The instance (as the message names it) or folder the step acts on. */
  target?: string;
}

export interface ErrorDetails {
  /** The refusal without the CLI's next step (a front end adds its own, from `fix`). */
  reason?: string;
  fix?: Fix;
  /** BUSY: what runs, and since when (ms since the epoch). */
  operation?: string;
  since?: number;
  /** BAD_INPUT on a call's arguments: each offending field, by the path the caller wrote. */
  fields?: { path: string; problem: string }[];
}

export class AxiError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly details: ErrorDetails;
  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'AxiError';
    this.code = code;
    this.exitCode = EXIT_CODES[code];
    this.details = details;
  }
}

const CONNECTION_LOST = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN']);

/**
 * A Docker engine's failure that reached us raw, mid-operation (dockerode's HTTP errors, a dropped
 * connection), as one line that says so; undefined for anything else.
 */
export function engineFailure(err: unknown): AxiError | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & { statusCode?: unknown; code?: unknown; json?: { message?: unknown } };
  if (typeof e.statusCode === 'number') {
    const said =
      typeof e.json?.message === 'string' ? e.json.message : e.message.replace(/^\(HTTP code \d+\)[^-]*- /, '');
    return new AxiError('DOCKER', `the Docker engine failed the request (HTTP ${e.statusCode}): ${said.trim()}`);
  }
  if (CONNECTION_LOST.has(String(e.code)) || e.message === 'socket hang up')
    return new AxiError('DOCKER_UNAVAILABLE', `the connection to the Docker engine was lost: ${e.message}`);
  return undefined;
}

/** The `{ code, message }` shape errors take across process boundaries. */
export function toErrorPayload(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof AxiError) return { code: err.code, message: err.message };
  const engine = engineFailure(err);
  if (engine) return { code: engine.code, message: engine.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}
