/**
 * The tunnels `axi tunnel NAME` holds open in a terminal, for the router: a marker in
 * `$AXI_HOME/tunnels-open/` with its pid while it runs. The router's page tells a user to run it, so a
 * reload must then reach the instance through it, though the app's keeper did not open it.
 */
import { mkdirSync, readFileSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { pidAlive } from '../../core/util/pidAlive';

const dirOf = (home: string) => path.join(home, 'tunnels-open');
const fileOf = (home: string, id: string) => path.join(dirOf(home), `${encodeURIComponent(id)}.json`);

interface Marker {
  pid: number;
  ports: number[];
}

function read(home: string, id: string): Marker | undefined {
  try {
    const m = JSON.parse(readFileSync(fileOf(home, id), 'utf8')) as Marker;
    return Number.isInteger(m.pid) && Array.isArray(m.ports) ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Marks instance `id`'s tunnel open by this process; the returned function takes the marker away. */
export function markCliTunnel(home: string, id: string, ports: readonly number[]): () => void {
  mkdirSync(dirOf(home), { recursive: true, mode: 0o700 });
  writeFileSync(fileOf(home, id), JSON.stringify({ pid: process.pid, ports }), { mode: 0o600 });
  return () => {
    if (read(home, id)?.pid === process.pid) rmSync(fileOf(home, id), { force: true });
  };
}

/**
 * Whether `axi tunnel` holds instance `id`'s tunnel open now, forwarding `port` (a marker whose process died,
 * or one from before a reassignment moved the port, does not count).
 */
export function cliTunnelOpen(home: string, id: string, port: number): boolean {
  const m = read(home, id);
  return m !== undefined && m.ports.includes(port) && pidAlive(m.pid);
}

/**
 * cliTunnelOpen for the router, which asks on every request to a remote instance: each marker read once and
 * read again when the folder changes (a watch), not a file read per request. Without a watch: read each time.
 */
export function cliTunnelReader(home: string): { open: (id: string, port: number) => boolean; close(): void } {
  const markers = new Map<string, Marker | undefined>();
  let watcher: FSWatcher | undefined;
  try {
    mkdirSync(dirOf(home), { recursive: true, mode: 0o700 });
    watcher = watch(dirOf(home), () => markers.clear());
    watcher.on('error', () => (watcher?.close(), (watcher = undefined)));
  } catch {
    watcher = undefined;
  }
  const marker = (id: string) => {
    if (!watcher) return read(home, id);
    if (!markers.has(id)) markers.set(id, read(home, id));
    return markers.get(id);
  };
  return {
    open: (id, port) => {
      const m = marker(id);
      return m !== undefined && m.ports.includes(port) && pidAlive(m.pid);
    },
    close: () => watcher?.close(),
  };
}
