import { AxiError } from '../../shared/errors';

/** Where an `ssh://[user@]host[:port]` Docker endpoint lives, as the system's `ssh` is told (Docker's CLI does the same). */
export interface SshTarget {
  readonly host: string;
  readonly user?: string;
  readonly port?: number;
}

/** BAD_INPUT naming the endpoint when it is not an ssh:// URL with a host (and nothing after it: no path). */
export function sshTarget(endpoint: string): SshTarget {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    u = new URL('invalid:');
  }
  if (u.protocol !== 'ssh:' || !u.hostname || u.hostname.startsWith('-') || (u.pathname && u.pathname !== '/'))
    throw new AxiError('BAD_INPUT', `${JSON.stringify(endpoint)} is not an SSH endpoint (ssh://[user@]host[:port])`);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(u.username ? { user: decodeURIComponent(u.username) } : {}),
    ...(u.port ? { port: Number(u.port) } : {}),
  };
}

/**
 * The destination part of an `ssh` command line, after which a remote command may follow. `--` ends ssh's own
 * options, so a host can never be read as one.
 */
export function sshDestination(t: SshTarget): string[] {
  return [...(t.user ? ['-l', t.user] : []), ...(t.port ? ['-p', String(t.port)] : []), '--', t.host];
}
