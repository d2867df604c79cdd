import os from 'node:os';
import { AxiError } from '../../shared/errors';
import { instanceId } from '../../core/registry/instanceRef';
import { typedFolder } from '../../core/registry/paths';
import { discoverWorktrees, type WorktreeInfo } from '../../core/worktrees/worktrees';
import { previewStack, type StackChoice } from '../../core/instances/setup/stackChoice';
import { setTunnelToggle } from '../../docker/remote/keptTunnels';
import { cloneDataHandlers } from './cloneDataHandlers';
import { assertConfirmed } from '../controller/guards';
import { folderKey } from '../controller/operations';
import { policyHandlers } from './policyHandlers';
import { trustHandlers } from './trustHandlers';
import { undoRegistration } from './registerUndo';
import { buildOverview, findView } from '../overview/overview';
import { ProgressSteps } from '../controller/progressSteps';
import type { ApiHandlers, SetupView, WorktreeView } from '../../shared/api/table';
import { snapshotView } from '../overview/views';
import { statsHandlers } from './statsHandlers';
import type { HandlerContext } from './handlerContext';

// Loaded on first use, with the Docker layer.
const ownSizes = () => require('../../docker/data/exclusiveSizes') as typeof import('../../docker/data/exclusiveSizes');

function worktreeView(w: WorktreeInfo): WorktreeView {
  return { path: w.path, branch: w.branch, state: w.state, name: w.name, ports: w.ports };
}

/** Runs an operation on one instance under the tracker: its busy flag shown, its error kept, its output as progress. */
async function onInstance<T>(
  c: HandlerContext,
  name: string,
  what: string,
  fn: (progress: (line: string) => void) => Promise<T>,
): Promise<T> {
  const rec = await c.service.find(name);
  // The window shows one line per instance: Compose's lines said as steps ("starting postgres").
  const steps = new ProgressSteps(rec.project);
  return c.ops.run({ key: instanceId(rec), label: await c.service.label(rec), what }, (progress) =>
    fn((line) => {
      const step = steps.line(line);
      if (step) progress(step);
    }),
  );
}

/**
 * Registers a folder under the tracker. `notifyFailure`: the caller has no
 * place to show a refusal (the tray's "Add repository…"), so it becomes a notification.
 */
export function registerFolder(
  c: HandlerContext,
  dir: string,
  opts: { template?: string; dataFrom?: 'main'; reassign?: boolean; stack?: StackChoice },
  notifyFailure: boolean,
): Promise<SetupView> {
  const { template, dataFrom, reassign, stack } = opts;
  const what = dataFrom ? "register with main's data" : 'register';
  return c.ops.run({ key: folderKey(dir), label: dir, what, notifyFailure }, async (progress) => {
    const known = await c.service.find(dir).then(
      () => true,
      () => false,
    );
    const r = await c.service.setup(dir, {
      template,
      env: {},
      ...(reassign ? { reassign } : {}),
      ...(stack ? { stack } : {}),
    });
    // Its ports were probed as they were allocated: the registry's conflicts are all that may have changed.
    await c.recheck.refreshRegistry();
    // An existing registration's data is replaced only through cloneData, confirmed. A new one may still meet
    // volumes an earlier registration left: the copy keeps a snapshot of them first.
    if (dataFrom && !r.allocated)
      throw new AxiError('IN_USE', `${r.name} was already registered: use Copy data from… on its card`, {
        reason: `${r.name} was already registered (its data is kept)`,
        fix: { action: 'copyData', target: r.name },
      });
    // A registration made for this copy is undone when the copy fails (registerUndo.ts says why).
    if (dataFrom)
      await c
        .lifecycle()
        .cloneData(dataFrom, r.id, { onOutput: progress })
        .catch((err: unknown) => {
          if (known) throw err;
          return undoRegistration(c.lifecycle(), r, err, () => c.recheck.refreshRegistry());
        });
    const trees = await discoverWorktrees(c.service, r.folder).catch(() => []);
    const others = trees.filter((w) => w.state === 'unregistered' && !w.error);
    // Offered in one place, the repository's offer, which the worktree follower's findings join.
    const repository = trees.find((w) => w.main)?.path;
    if (repository && others.length)
      c.offers?.offer(
        repository,
        others.map((w) => w.path),
      );
    return {
      instance: await findView(c.sources, r.id),
      written: r.written,
      existing: !r.allocated,
      using: r.using,
      said: r.said,
      notes: r.notes,
      otherWorktrees: others.map(worktreeView),
    };
  });
}

/** `axi adopt` under the tracker: the seed's stack registered with its ports and volumes, started if it ran. */
function adoptFolder(c: HandlerContext, dir: string): Promise<SetupView> {
  return c.ops.run({ key: folderKey(dir), label: dir, what: 'adopt' }, async (progress) => {
    const { adoptStack } = require('../../docker/status/adoption') as typeof import('../../docker/status/adoption');
    const lc = c.lifecycle();
    const { startAdopted } =
      require('../../docker/status/adoptStart') as typeof import('../../docker/status/adoptStart');
    const { docker } = await lc.docker(null);
    const r = await adoptStack(c.service, docker, dir);
    if (r.wasRunning) await startAdopted(lc, docker, r, progress);
    await c.recheck.refreshRegistry();
    return {
      instance: await findView(c.sources, r.name),
      written: {},
      existing: false,
      using: "the stack the team's scripts made (adopted)",
      said: "Using the stack the team's scripts made",
      notes: r.steps,
      otherWorktrees: [],
    };
  });
}

type InstanceMethod =
  | 'reassignPorts'
  | 'removeInstance'
  | 'startInstance'
  | 'stopInstance'
  | 'resetInstance'
  | 'restoreInstance'
  | 'listSnapshots'
  | 'deleteSnapshot';

/** The calls on one instance: each mutating one under the tracker. */
function instanceHandlers(c: HandlerContext): Pick<ApiHandlers, InstanceMethod> {
  return {
    reassignPorts: (name) =>
      onInstance(c, name, 'reassign', async () => {
        const rec = await c.service.find(name);
        // Its new ports were probed as they were allocated; the tracker's settle looks at them again once.
        // Only the ports something else holds move; the notes say what moved, and who holds what did not.
        const r = await c.service.setup(rec.folder, { reassign: true, name: rec.name, env: {} });
        return { ...(await findView(c.sources, name)), notes: r.notes };
      }),
    removeInstance: (name, o) =>
      onInstance(c, name, 'remove', async (progress) => {
        const r = await c.lifecycle().remove(name, { down: o.down, onOutput: progress });
        return { name: r.name, removedContainers: r.removedContainers };
      }),
    startInstance: (name) =>
      onInstance(c, name, 'start', async (progress) => {
        const { notes } = await c.lifecycle().up(name, { wait: true, onOutput: progress });
        const view = await findView(c.sources, name);
        // "already running: nothing to start" and Compose's warnings: a caller can tell a no-op apart.
        return notes?.length ? { ...view, notes } : view;
      }),
    stopInstance: (name) =>
      onInstance(c, name, 'stop', async (progress) => {
        await c.lifecycle().stop(name, { onOutput: progress });
        return findView(c.sources, name);
      }),
    resetInstance: (name, o) =>
      onInstance(c, name, 'reset', async (progress) => {
        assertConfirmed(name, o.confirm, 'reset');
        // From the window a reset leaves the instance as it was: a stopped one is not started behind the user's back.
        const was = (await findView(c.sources, name)).status;
        const start = was === 'running' || was === 'partial';
        const r = await c.lifecycle().reset(name, { snapshot: o.snapshot, start, onOutput: progress });
        return { instance: await findView(c.sources, name), snapshot: r.snapshot ? snapshotView(r.snapshot) : null };
      }),
    restoreInstance: (name, id, o) =>
      onInstance(c, name, 'restore', async (progress) => {
        assertConfirmed(name, o.confirm, 'restore');
        const r = await c.lifecycle().restore(name, id ?? undefined, { onOutput: progress });
        return {
          instance: await findView(c.sources, name),
          snapshot: snapshotView(r.snapshot),
          previous: r.previous ? snapshotView(r.previous) : null,
        };
      }),
    listSnapshots: async (name) =>
      (await ownSizes().snapshotsWithOwn(c.lifecycle(), name)).map((s) => ({
        ...snapshotView(s.snapshot),
        exclusiveBytes: s.ownBytes,
      })),
    deleteSnapshot: async (name, id, o) => {
      assertConfirmed(name, o.confirm, 'delete a snapshot of');
      return { deleted: (await c.lifecycle().deleteSnapshot(name, id)).id };
    },
  } satisfies Pick<ApiHandlers, InstanceMethod>;
}

/** How many instances Start all starts at once. */
const START_ALL_PARALLEL = 2;

/** Runs `fn` on every item, at most `limit` at a time, in order of the list. */
async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The API table's handlers; each one's parameters and result come from the table. */
export function createHandlers(c: HandlerContext): ApiHandlers {
  const one = instanceHandlers(c);
  return {
    ...one,
    ...cloneDataHandlers(c),
    ...policyHandlers(c),
    ...trustHandlers(c),
    ...statsHandlers(c.stats),
    getOverview: () => c.publisher.current(),
    registerFolder: ({ dir, ...opts }) => registerFolder(c, typedFolder(dir, os.homedir()), opts, false),
    previewFolder: async (dir) => previewStack(typedFolder(dir, os.homedir()), await c.service.records()),
    adoptFolder: ({ dir }) => adoptFolder(c, typedFolder(dir, os.homedir())),
    startAll: async () => {
      // Not those whose engine is away (unknown): their start would only fail.
      const todo = (await buildOverview(c.sources)).instances.filter(
        (i) => i.status !== 'running' && i.status !== 'unknown' && !i.busy,
      );
      const started: string[] = [];
      const failed: string[] = [];
      // Two at a time: faster than one by one, without every stack pulling and migrating at once.
      await inParallel(todo, START_ALL_PARALLEL, (i) =>
        one.startInstance(i.id).then(
          () => void started.push(i.label),
          () => void failed.push(i.label),
        ),
      );
      return { started, failed };
    },
    stopAll: async () => {
      const stopped: string[] = [];
      for (const i of (await buildOverview(c.sources)).instances) {
        if (i.status !== 'running' && i.status !== 'partial') continue;
        await one.stopInstance(i.id);
        stopped.push(i.label);
      }
      return { stopped };
    },
    checkConflicts: async () => {
      await c.recheck.run();
      return c.recheck.current();
    },
    followLogs: (name, service) => c.logs.start(name, service),
    stopLogs: (stream) => Promise.resolve(c.logs.stop(stream)),
    dismissWorktreeOffer: (repository) => Promise.resolve({ dismissed: c.offers?.dismiss(repository) ?? false }),
    pickFolders: async () => {
      if (!c.pickFolders)
        throw new AxiError(
          'BAD_INPUT',
          'the folder picker is only available in the desktop app; type the path or drop the folder',
        );
      return c.pickFolders();
    },
    getSettings: () => Promise.resolve(c.settings.view()),
    updateSettings: (patch) => c.settings.update(patch),
    discoverWorktrees: async (dir) => (await discoverWorktrees(c.service, dir)).map(worktreeView),
    setTunnel: async (name, { keep }) => {
      const rec = await c.service.find(name);
      if (!rec.engine || !c.overSsh(rec.engine))
        throw new AxiError(
          'BAD_INPUT',
          `${await c.service.label(rec)} is not on an SSH engine: there is no tunnel to keep (its ports answer ${rec.engine ? 'on the engine host' : 'on this machine'})`,
        );
      await setTunnelToggle(c.service.paths.home, instanceId(rec), keep);
      await c.tunnels?.reconcile();
      return findView(c.sources, name);
    },
    revealFolder: async (name) => {
      const rec = await c.service.find(name);
      if (!c.revealFolder) throw new AxiError('BAD_INPUT', 'opening folders is only available in the desktop app');
      await c.revealFolder(rec.folder);
      return { opened: rec.folder };
    },
  } satisfies ApiHandlers;
}
