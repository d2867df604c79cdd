import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import type { Engine } from '../docker/engine';
import { expectedServices } from '../docker/lifecycle';
import type { Snapshot } from '../docker/snapshots';
import { deriveStatus } from '../docker/status';
import type { StatusModel } from '../docker/statusModel';
import { AxiError, toErrorPayload } from '../engine/errors';
import { instanceId, instanceLabels, labelOf } from '../engine/instanceRef';
import { instanceNames } from '../engine/naming';
import type { InstanceRecord } from '../engine/registry';
import { discoverWorktrees, type WorktreeInfo } from '../engine/worktrees';
import { notificationsFor } from './notifications';
import { parseCall, type ApiEvents, type ApiMethod, type ApiReply, type ApiResults, type ConflictView, type InstanceView, type Overview, type SnapshotView } from './table';
import { conflictView, gitBranch, instanceView } from './views';

export interface ControllerOptions {
  engine: Engine;
  /** One re-check of host ports for all instances (another program may take a registered port). */
  recheckMs?: number;
  /** Opens a folder in the OS file manager (Electron); absent in a browser. */
  revealFolder?: (folder: string) => Promise<void>;
  /** Shows the OS folder picker (Electron); absent in a browser. */
  pickFolders?: () => Promise<string[]>;
}

type Handlers = { [M in ApiMethod]: (...args: any[]) => Promise<ApiResults[M]> };

function worktreeView(w: WorktreeInfo) {
  return { path: w.path, branch: w.branch, state: w.state, name: w.name, ports: w.ports };
}

/** Deleting or replacing data takes the instance's name as confirmation: a stray or scripted call is refused. */
function assertConfirmed(name: string, confirm: string, what: string): void {
  if (confirm !== name) {
    throw new AxiError('BAD_INPUT', `${what} deletes the data of ${name}: pass confirm equal to the instance name (${JSON.stringify(name)}) to go ahead`);
  }
}

function snapshotView(s: Snapshot): SnapshotView {
  return { id: s.id, createdAt: s.createdAt, reason: s.reason, volumes: s.volumes.map((v) => ({ name: v.name, bytes: v.bytes })) };
}

/**
 * What the app's window talks to, in Electron and in `axi serve` alike: the
 * API table's handlers over one engine, one status model (engine events, no
 * polling) and one conflict re-check timer for all instances. Emits the
 * table's events: `overview` on every change, `notification`, `progress`, `log`.
 */
export class AppController extends EventEmitter {
  readonly engine: Engine;
  private readonly model: StatusModel;
  private readonly busy = new Map<string, string>();
  private readonly errors = new Map<string, string>();
  private readonly logs = new Map<string, AbortController>();
  private conflicts: ConflictView[] = [];
  private readonly folders = new Map<string, { branch: string | null; gone: boolean }>();
  private last?: Overview;
  private timer?: NodeJS.Timeout;
  private watcher?: FSWatcher;
  private pending?: NodeJS.Timeout;
  private publishing: Promise<void> = Promise.resolve();
  private readonly recheckMs: number;

  constructor(private readonly opts: ControllerOptions) {
    super();
    this.engine = opts.engine;
    this.model = opts.engine.statusModel();
    this.recheckMs = opts.recheckMs ?? 10_000;
  }

  emitEvent<E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]): void {
    this.emit(event, payload);
  }

  async start(): Promise<void> {
    this.model.on('change', () => this.schedule());
    this.model.on('engine', () => this.schedule());
    this.engine.service.on('changed', () => void this.recheck());
    // The CLI in another terminal changes the registry too: follow the file, don't poll it.
    const home = this.engine.service.paths.home;
    await mkdir(home, { recursive: true });
    this.watcher = watch(home, { persistent: false }, (_type, file) => {
      if (file === 'instances.json') void this.recheck(true);
    });
    this.watcher.on('error', () => undefined);
    await this.model.start();
    await this.recheck();
    await this.publish(); // so the first window gets a ready overview, not one computed on demand
    this.timer = setInterval(() => void this.recheck(), this.recheckMs);
    this.timer.unref();
  }

  stop(): void {
    this.watcher?.close();
    clearInterval(this.timer);
    clearTimeout(this.pending);
    this.model.stop();
    for (const c of this.logs.values()) c.abort();
    this.logs.clear();
  }

  /** Coalesces bursts of engine events into one overview push. */
  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      // One publish at a time, so each diff (and its notifications) is taken against the last one sent.
      this.publishing = this.publishing.then(() => this.publish());
    }, 15);
  }

  private async publish(): Promise<void> {
    const next = await this.overview().catch(() => undefined);
    if (!next) return;
    if (this.last && JSON.stringify(this.last) === JSON.stringify(next)) return;
    const prev = this.last;
    this.last = next;
    this.emitEvent('overview', next);
    for (const n of notificationsFor(prev, next)) this.emitEvent('notification', n);
  }

  /** Re-checks host ports; publishes only when the conflicts changed (or `force`, after a registry change). */
  private async recheck(force = false): Promise<void> {
    this.folders.clear(); // branches and removed worktrees are picked up at the re-check's pace
    let changed = force;
    try {
      // An instance being started or reset holds its ports in passing (Docker's proxies bind before the
      // container lists them): not a conflict to report until the operation ends and the next check runs.
      const state = await this.engine.service.registry.readState();
      const labels = instanceLabels(state.instances);
      const busy = new Set([...this.busy.keys()].map((id) => labels.get(id)));
      const next = (await this.engine.service.checkConflicts({}, state))
        .filter((c) => !(c.kind === 'host' && c.instances.every((i) => busy.has(i))))
        .map(conflictView);
      if (JSON.stringify(next) !== JSON.stringify(this.conflicts)) {
        this.conflicts = next;
        changed = true;
      }
    } catch {
      // A broken registry shows up on the next call that reads it.
    }
    if (changed) this.schedule();
  }

  /**
   * Branch and folder presence, read once per re-check rather than on every
   * engine event: a burst of container events re-renders from memory.
   */
  private async folderInfo(folder: string): Promise<{ branch: string | null; gone: boolean }> {
    let info = this.folders.get(folder);
    if (!info) {
      const gone = !(await stat(folder).then((s) => s.isDirectory(), () => false));
      info = { branch: gone ? null : await gitBranch(folder), gone };
      this.folders.set(folder, info);
    }
    return info;
  }

  /** `records`: all registrations, for its label (`repo/name` where another repository has the name). */
  private async view(rec: InstanceRecord, records: readonly InstanceRecord[]): Promise<InstanceView> {
    const status = deriveStatus(rec.name, this.model.project(rec.project), expectedServices(rec));
    const volumes = rec.volumes ?? Object.values(instanceNames(this.engine.service.preset, rec).volumes);
    const { branch, gone } = await this.folderInfo(rec.folder);
    const id = instanceId(rec);
    const extra = { label: labelOf(rec, records), branch, busy: this.busy.get(id) ?? null, error: this.errors.get(id) ?? null, volumes, gone };
    return instanceView(this.engine.service.summarize(rec), status, extra);
  }

  /** The last overview pushed to windows (kept current by events), or a fresh one before the first push. */
  async current(): Promise<Overview> {
    return this.last ?? this.overview();
  }

  async overview(): Promise<Overview> {
    const records = await this.engine.service.registry.list();
    return { engine: this.model.engine, instances: await Promise.all(records.map((r) => this.view(r, records))), conflicts: this.conflicts };
  }

  /** Runs an operation on one instance with its busy flag shown, its error kept in place, its output as progress. */
  private async operate<T>(name: string, what: string, fn: (progress: (line: string) => void) => Promise<T>): Promise<T> {
    const rec = await this.engine.service.find(name);
    const [id, who] = [instanceId(rec), await this.engine.service.label(rec)];
    if (this.busy.has(id)) throw new AxiError('BAD_INPUT', `${who} is busy (${this.busy.get(id)})`);
    this.busy.set(id, what);
    this.errors.delete(id);
    this.schedule();
    try {
      return await fn((line) => this.emitEvent('progress', { instance: id, line }));
    } catch (err) {
      const e = toErrorPayload(err);
      this.errors.set(id, e.message);
      if (e.code === 'PORT_CONFLICT') this.emitEvent('notification', { kind: 'conflict', title: 'Port conflict', body: e.message, instance: who });
      throw err;
    } finally {
      this.busy.delete(id);
      void this.recheck(true);
    }
  }

  private async instance(name: string): Promise<InstanceView> {
    const rec = await this.engine.service.find(name);
    return this.view(rec, await this.engine.service.registry.list());
  }

  readonly handlers: Handlers = {
    getOverview: () => this.current(),
    registerFolder: async ({ dir, template }: { dir: string; template?: string }) => {
      const r = await this.engine.service.setup(dir, { template, env: {} });
      await this.recheck(true);
      const others = (await discoverWorktrees(this.engine.service, r.folder).catch(() => [])).filter((w) => w.state === 'unregistered' && !w.error);
      return { instance: await this.instance(r.id), written: r.written, notes: r.notes, otherWorktrees: others.map(worktreeView) };
    },
    reassignPorts: (name: string) =>
      this.operate(name, 'reassign', async () => {
        const rec = await this.engine.service.find(name);
        await this.engine.service.setup(rec.folder, { reassign: true, name: rec.name, env: {} });
        await this.recheck(true);
        return this.instance(name);
      }),
    removeInstance: (name: string, o: { down: boolean }) =>
      this.operate(name, 'remove', async (progress) => {
        const r = await this.engine.lifecycle.remove(name, { down: o.down, onOutput: progress });
        return { name: r.name, removedContainers: r.removedContainers };
      }),
    startInstance: (name: string) =>
      this.operate(name, 'start', async (progress) => {
        await this.recheck();
        await this.engine.lifecycle.up(name, { wait: true, onOutput: progress });
        return this.instance(name);
      }),
    stopInstance: (name: string) =>
      this.operate(name, 'stop', async (progress) => {
        await this.engine.lifecycle.stop(name, { onOutput: progress });
        return this.instance(name);
      }),
    resetInstance: (name: string, o: { snapshot: boolean; confirm: string }) =>
      this.operate(name, 'reset', async (progress) => {
        assertConfirmed(name, o.confirm, 'reset');
        const r = await this.engine.lifecycle.reset(name, { snapshot: o.snapshot, onOutput: progress });
        return { instance: await this.instance(name), snapshot: r.snapshot ? snapshotView(r.snapshot) : null };
      }),
    restoreInstance: (name: string, id: string | null, o: { confirm: string }) =>
      this.operate(name, 'restore', async (progress) => {
        assertConfirmed(name, o.confirm, 'restore');
        const r = await this.engine.lifecycle.restore(name, id ?? undefined, { onOutput: progress });
        return { instance: await this.instance(name), snapshot: snapshotView(r.snapshot) };
      }),
    listSnapshots: async (name: string) => (await this.engine.lifecycle.snapshots(name)).map(snapshotView),
    startAll: async () => {
      const started: string[] = [];
      for (const i of (await this.overview()).instances) {
        if (i.status === 'running' || i.busy) continue;
        await this.handlers.startInstance(i.id);
        started.push(i.label);
      }
      return { started };
    },
    stopAll: async () => {
      const stopped: string[] = [];
      for (const i of (await this.overview()).instances) {
        if (i.status !== 'running' && i.status !== 'partial') continue;
        await this.handlers.stopInstance(i.id);
        stopped.push(i.label);
      }
      return { stopped };
    },
    checkConflicts: async () => {
      await this.recheck();
      return this.conflicts;
    },
    followLogs: async (name: string, service: string | null) => {
      const stream = randomUUID();
      const ctl = new AbortController();
      this.logs.set(stream, ctl);
      const done = this.engine.lifecycle.logs(name, {
        service: service ?? undefined,
        follow: true,
        tail: 200,
        signal: ctl.signal,
        onLine: (line, svc) => this.emitEvent('log', { stream, service: svc, line }),
      });
      // Errors before the first line (no such service) reach the caller; later ones end the stream.
      await Promise.race([done, new Promise((r) => setTimeout(r, 300))]).catch((err) => {
        this.logs.delete(stream);
        throw err;
      });
      void done.catch(() => undefined).finally(() => this.logs.delete(stream));
      return { stream };
    },
    stopLogs: async (stream: string) => {
      const ctl = this.logs.get(stream);
      ctl?.abort();
      this.logs.delete(stream);
      return { stopped: Boolean(ctl) };
    },
    pickFolders: async () => {
      if (!this.opts.pickFolders) throw new AxiError('BAD_INPUT', 'the folder picker is only available in the desktop app; type the path or drop the folder');
      return this.opts.pickFolders();
    },
    discoverWorktrees: async (dir: string) => (await discoverWorktrees(this.engine.service, dir)).map(worktreeView),
    revealFolder: async (name: string) => {
      const rec = await this.engine.service.find(name);
      if (!this.opts.revealFolder) throw new AxiError('BAD_INPUT', 'opening folders is only available in the desktop app');
      await this.opts.revealFolder(rec.folder);
      return { opened: rec.folder };
    },
  };

  /** Validates and runs one call from a window; errors come back as `{ code, message }`. */
  async invoke(method: unknown, args: unknown): Promise<ApiReply<unknown>> {
    try {
      const call = parseCall(method, args);
      const value = await (this.handlers[call.method] as (...a: unknown[]) => Promise<unknown>)(...call.args);
      return { ok: true, value };
    } catch (err) {
      const e = err && typeof err === 'object' && 'code' in err && 'message' in err && !(err instanceof Error) ? (err as { code: string; message: string }) : toErrorPayload(err);
      return { ok: false, error: { code: e.code, message: e.message } };
    }
  }
}
