// Copying an instance's data (issue 9), each against the usual way in the same run:
//  - `axi clone-data` of a Postgres volume holding >= 500 MB vs `cp -a` of the volume's directory on the host
//    (<= 1.3x) and vs `pg_dump | psql` between the two databases (>= 5x faster)
//  - how long the source stays paused vs the copy's own time (<= 1.1x)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AXI, report, run } from './lib.mjs';

const MB = 1024 * 1024;
const RUNS = 7;

function sandbox() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-bench-copy-'));
  const env = {
    ...process.env,
    AXI_HOME: path.join(dir, 'home'),
    AXI_PORT_REGISTRY: path.join(dir, 'aegisx-port-registry'),
    AXI_PREFIX: 'axibench',
  };
  return { dir, env };
}

async function axi(env, args) {
  const r = await run(process.execPath, [AXI, ...args], { env });
  if (r.code !== 0) throw new Error(`axi ${args.join(' ')}: ${r.stderr.trim()}`);
  return { ...r, json: args.includes('--json') ? JSON.parse(r.stdout) : undefined };
}

async function psql(port, sql, db = 'aegisx_db') {
  const r = await run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-Atqc', sql], {
    env: { ...process.env, PGPASSWORD: 'postgres' },
  });
  if (r.code !== 0) throw new Error(`psql on ${port}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** ~600 MB of table data in main's Postgres: rows of 1 kB with a primary key, as a real table has one. */
async function fill(port) {
  await psql(port, 'create table payload(id bigint primary key, body text)');
  for (let i = 0; i < 6; i++)
    await psql(
      port,
      `insert into payload select g, repeat(md5(g::text), 32) from generate_series(${i * 100000 + 1}, ${(i + 1) * 100000}) g`,
    );
  await psql(port, 'checkpoint');
  return Number(await psql(port, 'select pg_total_relation_size($$payload$$)'));
}

export default async function bench() {
  const sb = sandbox();
  const src = path.join(sb.dir, 'work', 'aegisx-starter-bcsrc');
  const tgt = path.join(sb.dir, 'work', 'aegisx-starter-bctgt');
  const volume = (name) => `axibench_${name}_postgres_data`;
  try {
    await run('mkdir', ['-p', src, tgt]);
    const ports = {};
    for (const [dir, name] of [
      [src, 'bcsrc'],
      [tgt, 'bctgt'],
    ])
      ports[name] = (await axi(sb.env, ['setup', dir, '--json'])).json.ports;
    await axi(sb.env, ['up', 'bcsrc', '--wait']);
    const bytes = await fill(ports.bcsrc.postgres);
    // The target exists (created, not running), as after `git worktree add` + setup.
    await axi(sb.env, ['up', 'bctgt', '--wait']);
    await axi(sb.env, ['stop', 'bctgt']);

    // The same bytes with cp -a on the host, into a scratch directory on the same disk. Each timed run starts
    // after `sync`, ours and cp -a taking turns: neither pays for the other's (or the fill's) writeback.
    const dataDir = (
      await run('docker', ['volume', 'inspect', '-f', '{{.Mountpoint}}', volume('bcsrc')])
    ).stdout.trim();
    const scratch = path.join(path.dirname(path.dirname(dataDir)), `axibench-cp-${process.pid}`);
    const copies = [];
    const cps = [];
    // Seven turns, each ours and cp -a side by side (first one, then the other, alternating): this machine's disk
    // and CPU go through slow spells that last seconds, so the ratio is taken within each turn, then the median.
    const ours = async () => {
      await run('sync', []);
      return axi(sb.env, ['clone-data', 'bcsrc', 'bctgt', '--yes', '--no-snapshot', '--json']);
    };
    const theirs = async () => {
      await run('sync', []);
      const r = await run('cp', ['-a', dataDir, scratch]);
      rmSync(scratch, { recursive: true, force: true });
      if (r.code !== 0) throw new Error(`cp -a: ${r.stderr}`);
      return r;
    };
    for (let k = 0; k < RUNS; k++) {
      if (k % 2) cps.push(await theirs());
      copies.push(await ours());
      if (!(k % 2)) cps.push(await theirs());
    }
    const ratios = copies.map((c, k) => c.ms / cps[k].ms).sort((a, b) => a - b);
    const mid = (list) => [...list].sort((a, b) => a.ms - b.ms)[RUNS >> 1];
    const copy = mid(copies);
    const copyMs = copy.ms;
    const pausedMs = copy.json.pausedMs;
    const cp = mid(cps);

    // The usual manual way: dump main's database into the (running) target's.
    await axi(sb.env, ['up', 'bctgt', '--wait']);
    await psql(ports.bctgt.postgres, 'drop table if exists payload');
    const pg = (port) => ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'aegisx_db'];
    const dump = await run(
      'bash',
      [
        '-c',
        'pg_dump "$@" | psql -q -h 127.0.0.1 -p "$TGT" -U postgres -d aegisx_db',
        'dump',
        ...pg(ports.bcsrc.postgres),
      ],
      { env: { ...process.env, PGPASSWORD: 'postgres', TGT: String(ports.bctgt.postgres) } },
    );
    if (dump.code !== 0) throw new Error(`pg_dump | psql: ${dump.stderr}`);
    const rows = await psql(ports.bctgt.postgres, 'select count(*) from payload');

    const vsCp = ratios[RUNS >> 1];
    const vsDump = dump.ms / copyMs;
    const pausedRatio = pausedMs / copyMs;
    report(`copy a Postgres volume (${(bytes / MB).toFixed(0)} MB of table data, ${rows} rows)`, [
      [`axi clone-data (median of ${RUNS}, incl. node start)`, `${copyMs.toFixed(0)} ms`],
      [`cp -a of the volume directory (median of ${RUNS})`, `${cp.ms.toFixed(0)} ms`],
      [
        'ratio to cp -a, median of the turns (target <= 1.3x)',
        `${vsCp.toFixed(2)}x ${vsCp <= 1.3 ? 'OK' : 'MISSED'} (turns: ${ratios.map((r) => r.toFixed(2)).join(' ')})`,
      ],
      ['pg_dump | psql', `${dump.ms.toFixed(0)} ms`],
      ['faster than pg_dump | psql (target >= 5x)', `${vsDump.toFixed(1)}x ${vsDump >= 5 ? 'OK' : 'MISSED'}`],
      ['source paused (that run)', `${pausedMs.toFixed(0)} ms`],
      ['paused / copy time (target <= 1.1x)', `${pausedRatio.toFixed(2)}x ${pausedRatio <= 1.1 ? 'OK' : 'MISSED'}`],
    ]);
    return { ok: bytes >= 500 * MB && vsCp <= 1.3 && vsDump >= 5 && pausedRatio <= 1.1 };
  } finally {
    for (const name of ['bcsrc', 'bctgt'])
      await run(process.execPath, [AXI, 'down', name, '--volumes', '--yes'], { env: sb.env });
    rmSync(sb.dir, { recursive: true, force: true });
  }
}
