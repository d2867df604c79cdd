import { StringDecoder } from 'node:string_decoder';
import type Dockerode from 'dockerode';

/**
 * Splits Docker's multiplexed log stream (8-byte header: stream, 0, 0, 0,
 * big-endian length) into lines. TTY containers send raw text instead.
 */
export class LogDemuxer {
  private pending = Buffer.alloc(0);
  private partial = '';
  /** Per stream (the header's first byte; 0 for TTY): a character may be cut between chunks or writes. */
  private readonly decoders = new Map<number, StringDecoder>();
  constructor(
    private readonly tty: boolean,
    private readonly onLine: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.tty) return this.text(this.decode(0, chunk));
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const len = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + len) break;
      this.text(this.decode(this.pending[0]!, this.pending.subarray(8, 8 + len)));
      this.pending = this.pending.subarray(8 + len);
    }
  }

  end(): void {
    for (const d of this.decoders.values()) this.partial += d.end();
    this.decoders.clear();
    if (this.partial) this.onLine(this.partial);
    this.partial = '';
  }

  private decode(stream: number, bytes: Buffer): string {
    let d = this.decoders.get(stream);
    if (!d) this.decoders.set(stream, (d = new StringDecoder('utf8')));
    return d.write(bytes);
  }

  private text(s: string): void {
    const lines = (this.partial + s).split(/\r?\n/);
    this.partial = lines.pop()!;
    for (const l of lines) this.onLine(l);
  }
}

/** "2026-11-28T10:00:00.123456789Z text" → [text, time]; a line without one is kept whole. */
export function splitTimestamp(line: string): [line: string, time?: string] {
  const m = /^(\d{4}-\d\d-\d\dT\S+) ?/.exec(line);
  return m ? [line.slice(m[0].length), m[1]!] : [line];
}

export async function followLogs(
  docker: Dockerode,
  id: string,
  opts: {
    follow: boolean;
    tail: number;
    /** Docker's own time of each line (RFC 3339), split off the line. */
    timestamps?: boolean;
    onLine: (line: string, time?: string) => void;
    signal?: AbortSignal;
  },
): Promise<void> {
  const c = docker.getContainer(id);
  const tty = Boolean((await c.inspect()).Config?.Tty);
  const timestamps = Boolean(opts.timestamps);
  const demux = new LogDemuxer(tty, timestamps ? (l) => opts.onLine(...splitTimestamp(l)) : (l) => opts.onLine(l));
  if (!opts.follow) {
    const buf = await c.logs({ stdout: true, stderr: true, tail: opts.tail, follow: false, timestamps });
    demux.push(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)));
    demux.end();
    return;
  }
  const stream = await c.logs({ stdout: true, stderr: true, tail: opts.tail, follow: true, timestamps });
  await new Promise<void>((resolve) => {
    const done = () => {
      demux.end();
      resolve();
    };
    opts.signal?.addEventListener('abort', () => {
      (stream as unknown as { destroy(): void }).destroy();
      done();
    });
    stream.on('data', (chunk: Buffer) => demux.push(chunk));
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/** The last `n` lines of a container's log, for error messages. */
export async function lastLines(docker: Dockerode, id: string, n: number): Promise<string[]> {
  const lines: string[] = [];
  await followLogs(docker, id, { follow: false, tail: n, onLine: (l) => lines.push(l) }).catch(() => undefined);
  return lines.filter((l) => l.trim());
}
