// `git worktree add` → a healthy instance with main's data, the watcher on (issue 9), against the same
// instance made by hand in the same run: `axi setup`, `axi clone-data main`, `axi up --wait` (<= 1.2x).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AXI, median, report, run } from './lib.mjs';

const GIT = { GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' };

async function must(cmd, args, env) {
  const r = await run(cmd, args, { env });
  if (r.code !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')}: ${r.stderr.trim()}`);
  return r;
}

const axi = (env, args) => must(process.execPath, [AXI, ...args], env);

async function psql(port, sql) {
  return run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'aegisx_db', '-Atqc', sql], {
    env: { ...process.env, PGPASSWORD: 'postgres', PGCONNECT_TIMEOUT: '2' },
  });
}

/** Milliseconds from `t0` until the folder's instance answers with main's rows (polled every 100 ms). */
async function readyAfter(env, folder, t0) {
  for (const end = Date.now() + 300_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const list = JSON.parse((await run(process.execPath, [AXI, 'list', '--json'], { env })).stdout || '[]');
    const inst = list.find((i) => i.folder === folder);
    if (!inst) continue;
    const r = await psql(inst.ports.postgres, 'select count(*) from notes');
    if (r.code === 0 && r.stdout.trim() === '1000') return Number(process.hrtime.bigint() - t0) / 1e6;
  }
  throw new Error(`${folder}: not ready with main's data after 300 s`);
}

export default async function bench() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-bench-wt-'));
  const env = {
    ...process.env,
    ...GIT,
    AXI_HOME: path.join(dir, 'home'),
    AXI_PORT_REGISTRY: path.join(dir, 'aegisx-port-registry'),
    AXI_PREFIX: 'axibenchwt',
  };
  const main = path.join(dir, 'work', 'aegisx-starter');
  const made = [];
  let watcher;
  try {
    mkdirSync(main, { recursive: true });
    await must('git', ['-C', main, 'init', '-q', '-b', 'main'], env);
    writeFileSync(
      path.join(main, '.aegisx-instances.yml'),
      'worktrees: {register: auto, start: true, dataFrom: main, onRemove: keep}\n',
    );
    await must('git', ['-C', main, 'add', '.'], env);
    await must('git', ['-C', main, 'commit', '-qm', 'policy'], env);
    const m = JSON.parse((await axi(env, ['setup', main, '--json'])).stdout);
    made.push(m.name);
    await axi(env, ['up', m.name, '--wait']);
    await psql(m.ports.postgres, 'create table notes(id int primary key, body text)');
    await psql(m.ports.postgres, 'insert into notes select g, md5(g::text) from generate_series(1, 1000) g');

    const followed = [];
    const byHand = [];
    for (let k = 0; k < 2; k++) {
      // Followed: the watcher registers, copies and starts it.
      watcher = spawn(process.execPath, [AXI, 'watch', main], { env, stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 1500));
      const wt = `${main}-f${k}`;
      const t0 = process.hrtime.bigint();
      await must('git', ['-C', main, 'worktree', 'add', '-q', wt], env);
      followed.push(await readyAfter(env, wt, t0));
      made.push(`f${k}`);
      watcher.kill('SIGTERM');
      watcher = undefined;
      // By hand: the same steps typed one after another, timed from the first.
      const hand = `${main}-h${k}`;
      await must('git', ['-C', main, 'worktree', 'add', '-q', hand], env);
      const t1 = process.hrtime.bigint();
      const s = JSON.parse((await axi(env, ['setup', hand, '--json'])).stdout);
      made.push(s.name);
      await axi(env, ['clone-data', 'main', s.name, '--yes']);
      await axi(env, ['up', s.name, '--wait']);
      byHand.push(await readyAfter(env, hand, t1));
    }
    const ours = median(followed);
    const theirs = median(byHand);
    const ratio = ours / theirs;
    report('git worktree add → healthy instance with main’s data', [
      ['followed: git worktree add until psql reads main’s rows', `${ours.toFixed(0)} ms`],
      ['by hand: axi setup + clone-data main + up --wait', `${theirs.toFixed(0)} ms`],
      ['ratio (target <= 1.2x)', `${ratio.toFixed(2)}x ${ratio <= 1.2 ? 'OK' : 'MISSED'}`],
    ]);
    return { ok: ratio <= 1.2 };
  } finally {
    watcher?.kill('SIGTERM');
    for (const name of made.reverse()) await run(process.execPath, [AXI, 'down', name, '--volumes', '--yes'], { env });
    rmSync(dir, { recursive: true, force: true });
  }
}
