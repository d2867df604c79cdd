import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { composeDownAll, RUN } from '../docker/dockerHelpers';
import { GIT_IDENTITY, holdPort, runAxi, runAxiJson, sandbox } from '../helpers';

const v = process.env.AXI_COMPOSE === 'v2' ? 'v2' : 'v1';

/** A WebRTC server: signalling on one port, media on two 101-port UDP ranges. */
const WEBRTC = `services:
  signal:
    image: redis:7-alpine
    ports: ["127.0.0.1:18443:8443"]
  media:
    image: redis:7-alpine
    ports:
      - "50100-50200:50100-50200/udp"
  relay:
    image: redis:7-alpine
    ports:
      - "\${RELAY_PORTS:-50300-50400}:50300-50400/udp"
`;

/** A cloud emulator: 50 ports on loopback; its Redis stand-in answers on the range's first port. */
const EMULATOR = `services:
  emulator:
    image: redis:7-alpine
    command: ["redis-server", "--port", "4510", "--save", ""]
    ports:
      - "127.0.0.1:4510-4559:4510-4559"
`;

/** A TURN server: its port and its relay range each published over TCP and UDP (one host port, two protocols). */
const TURN = `services:
  turn:
    image: redis:7-alpine
    ports:
      - "3478:3478"
      - "3478:3478/udp"
  relay:
    image: redis:7-alpine
    ports:
      - "10000-10010:10000-10010"
      - "10000-10010:10000-10010/udp"
`;

/** The repository as its users have it: a main checkout with an origin, and two linked worktrees. */
function repo(parent: string, name: string, compose: string): string[] {
  const main = path.join(parent, name);
  mkdirSync(main, { recursive: true });
  writeFileSync(path.join(main, 'docker-compose.yml'), compose);
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', main, ...args], { stdio: 'pipe', env: { ...process.env, ...GIT_IDENTITY } });
  execFileSync('git', ['init', '-q', '-b', 'main', main]);
  git('remote', 'add', 'origin', `https://example.invalid/org/${name}.git`);
  git('add', '.');
  git('commit', '-qm', 'init');
  const wts = ['one', 'two'].map((b) => path.join(parent, `${name}-${b}`));
  for (const [i, wt] of wts.entries()) git('worktree', 'add', '-q', '-b', `b${i}`, wt);
  return [main, ...wts];
}

const block = (first: number, span: number) => Array.from({ length: span }, (_, i) => first + i);

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write('PING\r\n'));
    s.once('data', (d) => (s.destroy(), resolve(d.toString().trim())));
    s.once('error', reject);
    s.setTimeout(5000, () => (s.destroy(), reject(new Error(`no answer on ${port}`))));
  });
}

/** A UDP socket bound on `port` (what a media server or a stray process holds), closed by `stop`. */
async function holdUdp(port: number, host = '127.0.0.1'): Promise<{ stop(): Promise<void> }> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => (sock.once('error', reject), sock.bind(port, host, () => resolve())));
  return { stop: () => new Promise<void>((r) => sock.close(() => r())) };
}

describe(`port ranges: each instance gets its own block (${v})`, () => {
  const sb = sandbox();
  let rtcDirs: string[] = [];
  const env = { ...sb.env, AXI_PREFIX: 'axitest' };
  const up: { project: string; dir: string }[] = [];
  after(async () => {
    await composeDownAll(up.map((u) => [u.project, path.join(u.dir, 'docker-compose.instance.yml')]));
    sb.cleanup();
  });

  test('the WebRTC project: main and two worktrees register, each range a disjoint block of its length, shown as one entry', async () => {
    const dirs = repo(path.join(sb.dir, 'work', v), `webrtc${RUN}`, WEBRTC);
    rtcDirs = dirs;
    const regs = [];
    for (const dir of dirs) {
      const r = await runAxi(['setup', dir, '--from', 'docker-compose.yml'], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /media \d+-\d+\/udp {2}relay \d+-\d+\/udp/, 'a range is one entry in setup');
      assert.ok(r.stdout.length < 2000, `no port-by-port list: ${r.stdout}`);
      regs.push((await runAxiJson(['list', '--json'], { env })).json.find((i: any) => i.folder === dir));
    }
    const [main, ...wts] = regs;
    assert.equal(main.ports.media, 50100);
    assert.equal(main.ports.relay, 50300);
    assert.deepEqual(main.spans, { media: 101, relay: 101 });
    const held = new Set<number>();
    for (const r of regs) {
      for (const [k, first] of Object.entries(r.ports as Record<string, number>))
        for (const p of block(first, r.spans[k] ?? 1)) {
          assert.ok(!held.has(p), `port ${p} is in two instances' blocks`);
          held.add(p);
        }
    }
    for (const wt of wts) {
      const file = readFileSync(path.join(wt.folder, 'docker-compose.instance.yml'), 'utf8');
      const first = wt.ports.media as number;
      assert.ok(file.includes(`:${first}-${first + 100}:50100-50200/udp`), file);
    }
    const list = await runAxi(['list'], { env });
    assert.match(list.stdout, new RegExp(`media ${wts[0].ports.media}-${wts[0].ports.media + 100}/udp`));
    assert.deepEqual(wts[0].protocols, { media: 'udp', relay: 'udp' });
    // The project reads relay's range from a variable: .env.local gives it the instance's block.
    const envLocal = readFileSync(path.join(wts[0].folder, '.env.local'), 'utf8');
    assert.match(envLocal, new RegExp(`^RELAY_PORTS=${wts[0].ports.relay}-${wts[0].ports.relay + 100}$`, 'm'));
    const again = await runAxiJson(['setup', dirs[1]!, '--from', 'docker-compose.yml'], { env });
    assert.equal(again.json.ports.media, wts[0].ports.media, 'deterministic: the same block again');
    const cc = await runAxi(['check-conflicts'], { env });
    assert.equal(cc.code, 0, cc.stdout + cc.stderr);
  });

  test('the 50-port loopback range: a busy port in it names the range and its holder; two worktrees run at once', async () => {
    const dirs = repo(path.join(sb.dir, 'work', v), `emu${RUN}`, EMULATOR);
    const holder = await holdPort(4530, '127.0.0.1');
    try {
      const r = await runAxi(['setup', dirs[0]!, '--from', 'docker-compose.yml'], { env });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /port 4530 of emulator \(4510-4559\) of the main checkout is in use by /);
    } finally {
      await holder.stop();
    }
    const regs = [];
    for (const dir of dirs) {
      const r = await runAxiJson(['setup', dir, '--from', 'docker-compose.yml'], { env });
      assert.equal(r.code, 0, r.stderr);
      regs.push(r.json);
    }
    // check-conflicts names the range and the holder of its first busy port, once, not a line per port.
    const busy = await holdPort(4531, '127.0.0.1');
    try {
      const cc = await runAxiJson(['check-conflicts', '--json'], { env });
      const hits = cc.json.conflicts.filter((c: { service: string }) => c.service === 'emulator');
      assert.equal(hits.length, 1, JSON.stringify(cc.json.conflicts));
      assert.equal(hits[0].port, 4531);
      assert.equal(hits[0].range, '4510-4559');
      const text = await runAxi(['check-conflicts'], { env });
      assert.match(text.stdout, /4531 +host +emulator \(range 4510-4559\)/);
    } finally {
      await busy.stop();
    }
    const starts = regs.map((r) => r.ports.emulator as number);
    assert.equal(starts[0], 4510);
    assert.equal(new Set(starts).size, 3);
    for (const s of starts.slice(1)) assert.ok(Math.abs(s - 4510) >= 50 && Math.abs(s - starts[1]!) % 50 === 0);
    for (const r of regs.slice(1)) up.push({ project: r.project, dir: r.folder });
    const ups = await Promise.all(regs.slice(1).map((r) => runAxi(['up', r.folder], { env })));
    for (const u of ups) assert.equal(u.code, 0, u.stderr);
    // No healthcheck in the project: Redis answers a moment after its container starts.
    const answer = async (port: number) => {
      for (let i = 0; ; i++) {
        const r = await ping(port).catch((e: Error) => e.message);
        if (r === '+PONG' || i >= 40) return r;
        await new Promise((res) => setTimeout(res, 250));
      }
    };
    for (const s of starts.slice(1)) assert.equal(await answer(s), '+PONG');
  });

  test('running range instances read as their blocks: doctor finds no drift, its fix changes nothing, urls has no old ports', async () => {
    const regs = (await runAxiJson(['list', '--json'], { env })).json.filter((i: any) =>
      up.some((u) => u.dir === i.folder),
    );
    assert.equal(regs.length, 2, 'the emulator worktrees run');
    const files = (r: any) =>
      ['docker-compose.instance.yml', '.env.local'].map((f) => readFileSync(path.join(r.folder, f), 'utf8'));
    const before = regs.map(files);
    const doc = await runAxi(['doctor'], { env });
    assert.doesNotMatch(doc.stdout + doc.stderr, /publishes|emulator:\d+/, 'no port-by-port drift');
    assert.equal(doc.code, 0, doc.stdout + doc.stderr);
    const fix = await runAxi(['doctor', '--fix'], { env });
    assert.equal(fix.code, 0, fix.stdout + fix.stderr);
    assert.doesNotMatch(fix.stdout, /recorded the running ports/);
    const after = (await runAxiJson(['list', '--json'], { env })).json;
    for (const [i, r] of regs.entries()) {
      const now = after.find((x: any) => x.folder === r.folder);
      assert.deepEqual(now.ports, r.ports, 'the blocks stay registered');
      assert.deepEqual(files(r), before[i], 'the instance file and .env.local stay as they were');
      const urls = await runAxiJson(['urls', r.folder], { env });
      assert.equal(urls.json.pending, undefined, `no "restart to use" on a range running on its block: ${urls.stdout}`);
    }
  });

  test('UDP ranges are checked against UDP sockets: check-conflicts, up and the allocator name the holder', async () => {
    const wt = (await runAxiJson(['list', '--json'], { env })).json.find((i: any) => i.folder === rtcDirs[1]);
    const first = wt.ports.media as number;
    const busy = first + 24;
    const holder = await holdUdp(busy);
    try {
      const cc = await runAxiJson(['check-conflicts', '--json'], { env });
      const hit = cc.json.conflicts.find((c: any) => c.service === 'media' && c.range?.startsWith(`${first}-`));
      assert.ok(hit, JSON.stringify(cc.json.conflicts));
      assert.equal(hit.port, busy);
      assert.equal(hit.range, `${first}-${first + 100}/udp`);
      assert.deepEqual(hit.process, { pid: process.pid, name: 'node' });
      const upR = await runAxi(['up', wt.folder], { env });
      assert.notEqual(upR.code, 0, upR.stdout);
      assert.match(
        upR.stderr,
        new RegExp(
          `port ${busy} of media \\(range ${first}-${first + 100}/udp\\) of ${hit.instances[0]} is in use by node \\(pid ${process.pid}\\)`,
        ),
      );
      assert.doesNotMatch(upR.stderr, /bind: address already in use/, 'refused before Compose tries');
      const ps = execFileSync('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${wt.project}`]);
      assert.equal(ps.toString().trim(), '', 'nothing left half-made');
    } finally {
      await holder.stop();
    }
    // The allocator: a third worktree's own block, held over UDP, is not handed out again.
    const third = path.join(path.dirname(rtcDirs[0]!), `${path.basename(rtcDirs[0]!)}-three`);
    execFileSync('git', ['-C', rtcDirs[0]!, 'worktree', 'add', '-q', '-b', 'b3', third], { stdio: 'pipe' });
    const own = await runAxiJson(['setup', third, '--from', 'docker-compose.yml'], { env });
    assert.equal(own.code, 0, own.stderr);
    assert.equal((await runAxi(['remove', third], { env })).code, 0);
    const held = await holdUdp(own.json.ports.relay + 50);
    try {
      const again = await runAxiJson(['setup', third, '--from', 'docker-compose.yml'], { env });
      assert.equal(again.code, 0, again.stderr);
      const relay = again.json.ports.relay as number;
      assert.ok(
        relay > own.json.ports.relay + 50 || relay + 100 < own.json.ports.relay + 50,
        `block ${relay} holds the busy port`,
      );
    } finally {
      await held.stop();
    }
  });

  test('a port published over TCP and UDP is probed over both: the allocator, check-conflicts and up see a UDP holder', async () => {
    const dirs = repo(path.join(sb.dir, 'work', v), `turn${RUN}`, TURN);
    const wt = dirs[1]!;
    const own = await runAxiJson(['setup', wt, '--from', 'docker-compose.yml'], { env });
    assert.equal(own.code, 0, own.stderr);
    const [turn, relay] = [own.json.ports.turn as number, own.json.ports.relay as number];
    assert.deepEqual(own.json.protocols, { turn: 'tcp+udp', relay: 'tcp+udp' });
    const file = readFileSync(path.join(wt, 'docker-compose.instance.yml'), 'utf8');
    for (const entry of [`:${turn}:3478`, `:${turn}:3478/udp`, `:${relay}-${relay + 10}:10000-10010/udp`])
      assert.match(file, new RegExp(`${entry}["']?$`, 'm'));
    const list = await runAxi(['list'], { env });
    assert.match(list.stdout, new RegExp(`turn ${turn}/tcp\\+udp, relay ${relay}-${relay + 10}/tcp\\+udp`));
    // The allocator: the worktree's own port, held over UDP only, is not handed out again.
    assert.equal((await runAxi(['remove', wt], { env })).code, 0);
    const held = await holdUdp(turn);
    let reg: { ports: Record<string, number>; project: string };
    try {
      const again = await runAxiJson(['setup', wt, '--from', 'docker-compose.yml'], { env });
      assert.equal(again.code, 0, again.stderr);
      reg = again.json;
      assert.notEqual(reg.ports.turn, turn, `setup handed out ${turn}, held by a UDP socket`);
    } finally {
      await held.stop();
    }
    // check-conflicts and up: a UDP socket on the registered twin port (and one in its range) names its holder.
    const holders = [await holdUdp(reg.ports.turn!), await holdUdp(reg.ports.relay! + 5)];
    try {
      const cc = await runAxiJson(['check-conflicts', '--json'], { env });
      const all = JSON.stringify(cc.json.conflicts);
      const hit = cc.json.conflicts.find((c: any) => c.service === 'turn' && c.port === reg.ports.turn);
      assert.deepEqual(hit?.process, { pid: process.pid, name: 'node' }, all);
      const inRange = cc.json.conflicts.find((c: any) => c.service === 'relay' && c.port === reg.ports.relay! + 5);
      assert.equal(inRange?.range, `${reg.ports.relay}-${reg.ports.relay! + 10}/tcp+udp`, all);
      const upR = await runAxi(['up', wt], { env });
      assert.notEqual(upR.code, 0, upR.stdout);
      assert.match(
        upR.stderr,
        new RegExp(`port ${reg.ports.turn} \\(turn\\) of \\S+ is in use by node \\(pid ${process.pid}\\)`),
      );
      assert.doesNotMatch(upR.stderr, /bind: address already in use/, 'refused before Compose tries');
      const ps = execFileSync('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${reg.project}`]);
      assert.equal(ps.toString().trim(), '', 'nothing left half-made');
    } finally {
      await Promise.all(holders.map((h) => h.stop()));
    }
    // Once free, it runs on both protocols, and reads back as its two keys: doctor sees no drift.
    up.push({ project: reg.project, dir: wt });
    const started = await runAxi(['up', wt], { env });
    assert.equal(started.code, 0, started.stderr);
    const doc = await runAxi(['doctor'], { env });
    assert.doesNotMatch(doc.stdout + doc.stderr, /turn:3478|relay:100\d\d/, 'no key per protocol');
    assert.equal(doc.code, 0, doc.stdout + doc.stderr);
  });
});
