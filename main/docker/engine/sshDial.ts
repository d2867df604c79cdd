import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import { Duplex } from 'node:stream';
import { sshDestination, type SshTarget } from '../../core/util/sshTarget';

/**
 * Engine API connections to an `ssh://` endpoint through the system's `ssh … docker system dial-stdio`, exactly
 * what Docker's own CLI (and so Compose) runs for that endpoint. The user's ~/.ssh/config, keys, agent, known
 * hosts and jump hosts then apply to axi as they do to `docker --context`; ssh2 (dockerode's own SSH) reads none
 * of them and accepts any host key.
 */

/** Options for every ssh axi runs: never prompt (there is no terminal to answer), give up on a dead host. */
export const SSH_BATCH_OPTIONS = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=15'];

/** A socket-shaped stream over one `ssh` child's stdio (what http.Agent hands to a request). */
class SshStdioSocket extends Duplex {
  private stderr = '';

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    super();
    child.stdout.on('data', (d: Buffer) => {
      if (!this.push(d)) child.stdout.pause();
    });
    child.stdout.on('end', () => this.push(null));
    child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString('utf8')).slice(-2000)));
    child.stdin.on('error', () => undefined); // a dead child: reported below by its exit
    child.on('error', (err) => this.destroy(err));
    child.on('exit', (code) => {
      const why = this.stderr.trim().split('\n').pop();
      if (code) this.destroy(new Error(`ssh exited ${code}${why ? `: ${why}` : ''}`));
      else this.push(null);
    });
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.child.stdin.write(chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.child.stdin.end(cb);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.child.exitCode === null) this.child.kill();
    cb(err);
  }

  // What http.Agent calls on a net.Socket. An idle kept-alive connection must not keep the process alive.
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  ref(): this {
    this.handles().forEach((h) => h.ref?.());
    return this;
  }
  unref(): this {
    this.handles().forEach((h) => h.unref?.());
    return this;
  }
  /** The child and its pipes (net.Sockets underneath): each holds the event loop until unref'd. */
  private handles(): { ref?(): unknown; unref?(): unknown }[] {
    const c = this.child;
    return [c, c.stdout, c.stdin, c.stderr] as unknown as { ref?(): unknown; unref?(): unknown }[];
  }
}

/** The `ssh` command line that opens one Engine API stream on the target's engine. */
export function dialStdioArgs(t: SshTarget): string[] {
  return [...SSH_BATCH_OPTIONS, '-T', ...sshDestination(t), 'docker', 'system', 'dial-stdio'];
}

/**
 * An http.Agent for dockerode (`protocol: 'http'` with this agent): each connection is one `ssh` child, kept
 * alive for the next request as Docker's CLI keeps its one, so a command pays the SSH handshake about once.
 */
export function sshDialAgent(t: SshTarget, env: NodeJS.ProcessEnv = process.env): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const create = () => {
    const child = spawn('ssh', dialStdioArgs(t), { env, stdio: ['pipe', 'pipe', 'pipe'] });
    return new SshStdioSocket(child);
  };
  (agent as unknown as { createConnection: () => Duplex }).createConnection = create;
  return agent;
}
