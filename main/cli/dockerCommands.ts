import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { AxiError } from '../engine/errors';
import { instanceId } from '../engine/instanceRef';
import type { Engine } from '../docker/engine';
import type { InstanceWithStatus } from '../docker/lifecycle';
import type { InstanceStatus } from '../docker/status';
import { table } from './format';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Asks a yes/no question on a terminal; undefined when there is none to ask on. */
  confirm?: (question: string) => Promise<boolean>;
}

export async function ttyConfirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

async function confirmed(io: Io, yes: boolean | undefined, question: string, flag = '--yes'): Promise<void> {
  if (yes) return;
  if (!io.confirm) throw new AxiError('BAD_INPUT', `${question.replace(/\?$/, '')}: needs confirmation; pass ${flag}`);
  if (!(await io.confirm(question))) throw new AxiError('BAD_INPUT', 'cancelled');
}

export function servicesText(s: InstanceStatus): string {
  return Object.entries(s.services)
    .map(([name, v]) => `${name} ${v.state === 'running' && v.health !== 'none' ? v.health : v.state}`)
    .join(', ');
}

export function statusLine(s: InstanceWithStatus): string {
  return `${s.name}: ${s.status}${Object.keys(s.services).length ? ` (${servicesText(s)})` : ''}${(s.notes ?? []).map((n) => `\n  note: ${n}`).join('')}`;
}

/** up, stop, down, stop-all, reset, snapshots, restore, logs, cleanup. */
export function addDockerCommands(program: Command, engine: () => Engine, io: Io, json: (v: unknown) => void): void {
  const progress = (quiet?: boolean) => (quiet ? undefined : (line: string) => io.err(line));

  program
    .command('up')
    .description("start an instance's containers (instance file, else the folder's docker-compose.yml)")
    .argument('<name>', 'instance name (repo/name where two repositories have it) or folder')
    .option('--wait', 'return once every service with a healthcheck is healthy')
    .option('--timeout <seconds>', 'give up waiting after this long', '180')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { wait?: boolean; timeout: string; json?: boolean }) => {
      const timeoutMs = Number(o.timeout) * 1000;
      if (!(timeoutMs > 0)) throw new AxiError('BAD_INPUT', `--timeout ${JSON.stringify(o.timeout)} is not a positive number of seconds`);
      const s = await engine().lifecycle.up(name, { wait: o.wait, timeoutMs, onOutput: progress(o.json) });
      o.json ? json(statusJson(s)) : io.out(statusLine(s));
    });

  program
    .command('stop')
    .description('pause an instance: containers stopped, volumes kept')
    .argument('<name>', 'instance name (repo/name where two repositories have it) or folder')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const s = await engine().lifecycle.stop(name, { onOutput: progress(o.json) });
      o.json ? json(statusJson(s)) : io.out(statusLine(s));
    });

  program
    .command('down')
    .description('remove containers and network; volumes only with --volumes')
    .argument('<name>', 'instance name (repo/name where two repositories have it) or folder')
    .option('--volumes', "also delete the instance's volumes (its data)")
    .option('--json', 'print JSON')
    .action(async (name: string, o: { volumes?: boolean; json?: boolean }) => {
      const s = await engine().lifecycle.down(name, { volumes: o.volumes, onOutput: progress(o.json) });
      o.json ? json(statusJson(s)) : io.out(statusLine(s));
    });

  program
    .command('stop-all')
    .description('stop every running instance (volumes kept)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const stopped = await engine().lifecycle.stopAll({ onOutput: progress(o.json) });
      o.json ? json({ stopped }) : io.out(stopped.length ? `Stopped ${stopped.join(', ')}.` : 'Nothing was running.');
    });

  program
    .command('reset')
    .description("fresh data: snapshot the volumes, then down --volumes and up")
    .argument('<name>', 'instance name (repo/name where two repositories have it) or folder')
    .option('--yes', 'do not ask for confirmation')
    .option('--no-snapshot', 'skip the snapshot (the data is gone for good)')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { yes?: boolean; snapshot: boolean; json?: boolean }) => {
      const rec = await engine().service.find(name);
      const who = await engine().service.label(rec);
      await confirmed(io, o.yes, `Reset ${who}? Its databases are emptied${o.snapshot ? ' (a snapshot is kept first)' : ' and NO snapshot is kept'}?`);
      const r = await engine().lifecycle.reset(instanceId(rec), { snapshot: o.snapshot, onOutput: progress(o.json) });
      if (o.json) return json({ ...statusJson(r.status), snapshot: r.snapshot ? snapshotJson(r.snapshot) : null });
      io.out(`${statusLine(r.status)}${r.snapshot ? `\nSnapshot ${r.snapshot.id} kept in ${r.snapshot.dir}; undo with: axi restore ${who} ${r.snapshot.id}` : ''}`);
    });

  program
    .command('snapshots')
    .description('list the volume snapshots of an instance')
    .argument('<name>', 'instance name (repo/name where two repositories have it) or folder')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const list = await engine().lifecycle.snapshots(name);
      if (o.json) return json(list.map(snapshotJson));
      io.out(list.length
        ? table(['SNAPSHOT', 'REASON', 'VOLUMES', 'SIZE'], list.map((s) => [s.id, s.reason, s.volumes.map((v) => v.name).join(', '), `${Math.round(s.volumes.reduce((a, v) => a + v.bytes, 0) / 1024)} KiB`]))
        : 'No snapshots yet (axi reset takes one first).');
    });

  program
    .command('restore')
    .description("put a snapshot's volumes back (latest by default); running or stopped as before")
    .argument('<name>', 'instance name (repo/name where two repositories have it) or folder')
    .argument('[snapshot]', 'snapshot id (see axi snapshots NAME)')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print JSON')
    .action(async (name: string, snapshot: string | undefined, o: { yes?: boolean; json?: boolean }) => {
      const rec = await engine().service.find(name);
      await confirmed(io, o.yes, `Restore ${await engine().service.label(rec)} from ${snapshot ?? 'its latest snapshot'}? Its current data is replaced?`);
      const r = await engine().lifecycle.restore(instanceId(rec), snapshot, { onOutput: progress(o.json) });
      o.json ? json({ ...statusJson(r.status), snapshot: snapshotJson(r.snapshot) }) : io.out(`Restored ${r.snapshot.id}. ${statusLine(r.status)}`);
    });

  program
    .command('logs')
    .description("print (or follow) an instance's logs")
    .argument('<name>', 'instance name (repo/name where two repositories have it) or folder')
    .argument('[service]', 'one service only')
    .option('--follow', 'keep printing new lines')
    .option('--tail <n>', 'lines of history', '100')
    .action(async (name: string, service: string | undefined, o: { follow?: boolean; tail: string }) => {
      const ctl = new AbortController();
      process.once('SIGINT', () => ctl.abort());
      await engine().lifecycle.logs(name, {
        service,
        follow: o.follow,
        tail: Number(o.tail) || 100,
        signal: ctl.signal,
        onLine: (line, svc) => io.out(service ? line : `${svc.padEnd(9)}| ${line}`),
      });
    });

  program
    .command('cleanup')
    .description('remove registrations whose folder is gone, and containers/networks (volumes with --volumes) no registration owns')
    .option('--dry-run', 'only print what would be removed')
    .option('--yes', 'do not ask for confirmation')
    .option('--volumes', 'also delete orphaned volumes')
    .option('--json', 'print JSON')
    .action(async (o: { dryRun?: boolean; yes?: boolean; volumes?: boolean; json?: boolean }) => {
      // Loaded on use: read-only commands keep a lean start.
      const { applyCleanup, planCleanup, withVolumes } = require('../docker/cleanup') as typeof import('../docker/cleanup');
      const e = engine();
      const { docker } = await e.lifecycle.docker();
      let plan = await planCleanup(e.service, docker);
      if (o.volumes) plan = withVolumes(plan);
      const total = plan.registrations.length + plan.containers.length + plan.networks.length + plan.volumes.length;
      const lines = [
        ...plan.registrations.map((r) => `registration ${r.name} (folder gone: ${r.folder})`),
        ...plan.containers.map((c) => `container ${c.name}${c.project ? ` (project ${c.project})` : ''}`),
        ...plan.networks.map((n) => `network ${n.name}`),
        ...plan.volumes.map((v) => `volume ${v.name}`),
      ];
      const keptNote = plan.keptVolumes.length ? `kept volumes (use --volumes to delete): ${plan.keptVolumes.map((v) => v.name).join(', ')}` : '';
      if (o.dryRun || total === 0) {
        if (o.json) return json({ dryRun: Boolean(o.dryRun), removed: [], wouldRemove: plan });
        return io.out([total ? `Would remove:\n  ${lines.join('\n  ')}` : 'Nothing to clean up.', keptNote].filter(Boolean).join('\n'));
      }
      await confirmed(io, o.yes, `Remove ${total} item(s)?\n  ${lines.join('\n  ')}\n`);
      await applyCleanup(e.service, docker, plan);
      if (o.json) return json({ dryRun: false, removed: plan });
      io.out([`Removed:\n  ${lines.join('\n  ')}`, keptNote].filter(Boolean).join('\n'));
    });
}

export function statusJson(s: InstanceWithStatus) {
  return { name: s.name, id: instanceId(s.record), status: s.status, services: s.services, ...(s.notes ? { notes: s.notes } : {}) };
}

function snapshotJson(s: { id: string; instance: string; createdAt: string; reason: string; dir: string; volumes: { name: string; bytes: number }[] }) {
  return { id: s.id, instance: s.instance, createdAt: s.createdAt, reason: s.reason, dir: s.dir, volumes: s.volumes.map((v) => ({ name: v.name, bytes: v.bytes })) };
}
