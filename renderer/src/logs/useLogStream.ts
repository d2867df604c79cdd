import { useEffect, useRef, useState } from 'react';
import type { ApiEvents } from '../../../main/shared/api/table';
import { mergeByTime } from '../../../main/shared/display/instanceDisplay';
import { api } from '../bridge';

const MAX_LINES = 2000;

export interface LogLine {
  service: string;
  line: string;
  time?: string;
}

interface Buffer {
  /** The stream these belong to (instance and service): another one starts from empty. */
  of: string;
  lines: LogLine[];
  held: number;
  error: string;
}

/** All services: each one's history arrives as a block, so lines are merged by Docker's time, not appended. */
function joinLines(b: Buffer, more: LogLine[]): LogLine[] {
  // `of` ends with the service's name, empty for all of them.
  return (b.of.endsWith('\n') ? mergeByTime(b.lines, more) : [...b.lines, ...more]).slice(-MAX_LINES);
}

/**
 * The lines of one stream: main pushes them (history first), this only listens. While `paused`,
 * new lines are held (and counted) and shown on resume. A new service starts from empty.
 */
export function useLogStream(id: string, service: string | null, paused: boolean) {
  const of = `${id}\n${service ?? ''}`;
  const [buf, setBuf] = useState<Buffer>({ of, lines: [], held: 0, error: '' });
  const pending = useRef<LogLine[]>([]);
  const pausedNow = useRef(paused);

  useEffect(() => {
    pausedNow.current = paused;
    if (paused || !pending.current.length) return;
    const more = pending.current;
    pending.current = [];
    setBuf((b) => ({ ...b, held: 0, lines: joinLines(b, more) }));
  }, [paused]);

  useEffect(() => {
    pending.current = [];
    const mineOr = (b: Buffer): Buffer => (b.of === of ? b : { of, lines: [], held: 0, error: '' });
    const add = (more: LogLine[]) => {
      if (!more.length) return;
      if (pausedNow.current) {
        pending.current = [...pending.current, ...more].slice(-MAX_LINES);
        const held = pending.current.length;
        setBuf((b) => ({ ...mineOr(b), held }));
      } else setBuf((b) => ({ ...mineOr(b), lines: joinLines(mineOr(b), more) }));
    };
    const own = (l: ApiEvents['log']): LogLine => ({ service: l.service, line: l.line, time: l.time });
    // Main starts sending the recent lines before followLogs tells us the stream's id: until then, keep
    // every line that comes in; once the id is known, show its lines in order and drop the rest.
    let stream: string | null = null;
    let early: ApiEvents['log'][] | null = [];
    let closed = false;
    const off = api.on('log', (l) => {
      if (early) early.push(l);
      else if (l.stream === stream) add([own(l)]);
    });
    api
      .followLogs(id, service)
      .then((r) => {
        if (closed) return void api.stopLogs(r.stream);
        stream = r.stream;
        const mine = (early ?? []).filter((l) => l.stream === r.stream).map(own);
        early = null;
        add(mine);
      })
      .catch((e: Error) => {
        early = null;
        if (!closed) setBuf((b) => ({ ...mineOr(b), error: e.message }));
      });
    return () => {
      closed = true;
      early = null;
      off();
      if (stream) void api.stopLogs(stream);
    };
  }, [id, service, of]);

  const mine = buf.of === of ? buf : { lines: [], held: 0, error: '' };
  return { lines: mine.lines, held: mine.held, error: mine.error };
}
