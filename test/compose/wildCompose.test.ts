import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { runAxi, runAxiJson, sandbox } from '../helpers';
import { assertSameModel } from './composeModels';

/** Compose's own reading of an instance file: v1 always, v2 too where the suites have it. */
function composeConfig(dir: string, project: string, envFile?: string): Promise<{ code: number; out: string }[]> {
  const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number; out: string }>((resolve) =>
      execFile(
        cmd,
        [
          ...args,
          ...(envFile ? ['--env-file', envFile] : []),
          '-p',
          project,
          '-f',
          'docker-compose.instance.yml',
          'config',
        ],
        { cwd: dir, env },
        (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code) || 1 : 0, out: `${cmd} ${args.join(' ')}: ${stdout}${stderr}` }),
      ),
    );
  const v2 = process.env.AXI_COMPOSE_V2_CONFIG;
  return Promise.all([
    run('docker-compose', [], process.env),
    ...(v2 ? [run('docker', ['compose'], { ...process.env, DOCKER_CONFIG: v2 })] : []),
  ]);
}

/** True when setup reads compose files through Compose v2 (the v2 run of this suite). */
const byCompose = process.env.AXI_COMPOSE === 'v2';

/** Real repositories' shapes, each as a minimal file: a main checkout `wild-NAME` and a copy `wild-NAME-wt` beside it. */
describe(`compose files as they are in the wild (${byCompose ? 'read by Compose v2' : 'read by axi, Compose v2 not installed'})`, () => {
  const sb = sandbox();
  after(() => sb.cleanup());

  /** Writes `files` into both checkouts and sets each up from `from`; every instance file is checked against Compose. */
  async function pairOf(
    tag: string,
    files: Record<string, string>,
    from: string[] = ['docker-compose.yml'],
    compare = true,
  ) {
    const out: { main: any; wt: any; dirs: string[] } = { main: null, wt: null, dirs: [] };
    for (const dir of [sb.folder(`wild-${tag}`), sb.folder(`wild-${tag}-${tag}wt`)]) {
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        writeFileSync(path.join(dir, f), text);
      }
      const r = await runAxiJson(['setup', dir, ...from.flatMap((f) => ['--from', f])], { env: sb.env });
      assert.equal(r.code, 0, `${dir}: ${r.stderr}`);
      const subEnv = path.join(dir, path.dirname(from[0]!), '.env');
      const envFile = path.dirname(from[0]!) !== '.' && existsSync(subEnv) ? subEnv : undefined;
      for (const c of await composeConfig(dir, r.json.project, envFile)) {
        assert.equal(c.code, 0, c.out);
        assert.doesNotMatch(c.out, /variable is not set/, c.out);
      }
      if (compare) await assertSameModel(dir, from, r.json.project);
      if (r.json.main) out.main = r.json;
      else out.wt = r.json;
      out.dirs.push(dir);
    }
    const text = readFileSync(path.join(out.dirs[1]!, 'docker-compose.instance.yml'), 'utf8');
    return { ...out, doc: parse(text), text, env: readFileSync(path.join(out.dirs[1]!, '.env.local'), 'utf8') };
  }
  const pair = (tag: string, compose: string, files: Record<string, string> = {}) =>
    pairOf(tag, { 'docker-compose.yml': compose, ...files });

  test('the same host port for TCP and UDP, or on two addresses, is one host port', async () => {
    const r = await pair(
      'dns',
      'services:\n  dns: {image: busybox, ports: ["5353:53/tcp", "5353:53/udp", "127.0.0.1:8083:80", "[::1]:8083:80"]}\n',
    );
    assert.deepEqual(Object.keys(r.wt.ports), ['dns', 'dns:80']);
    const p = r.wt.ports;
    // `/tcp` is the default: Compose's model leaves it out.
    assert.deepEqual(
      r.doc.services.dns.ports.map((x: string) => x.replace(/\/tcp$/, '')),
      [`127.0.0.1:${p.dns}:53`, `127.0.0.1:${p.dns}:53/udp`, `127.0.0.1:${p['dns:80']}:80`, `[::1]:${p['dns:80']}:80`],
    );
    assert.doesNotMatch(r.env, /_\n|_=/, 'a variable name ends in _');
    assert.match(r.env, /^DNS_PORT=\d+$/m);
  });

  test("the main checkout's project is Compose's: name:, then COMPOSE_PROJECT_NAME, then the first file's folder", async () => {
    const named = await pair(
      'named',
      'name: shopstack\nservices: {db: {image: postgres, volumes: [dbdata:/d]}}\nvolumes: {dbdata: {}}\n',
    );
    assert.equal(named.main.project, 'shopstack');
    const fromEnv = await pair('envname', 'services: {db: {image: postgres}}\n', {
      '.env': 'COMPOSE_PROJECT_NAME=fromdotenv\n',
    });
    assert.equal(fromEnv.main.project, 'fromdotenv');
    const dir = sb.folder('wild-sub');
    mkdirSync(path.join(dir, 'docker'));
    writeFileSync(path.join(dir, 'docker', 'x.yml'), 'services: {db: {image: postgres}}\n');
    const sub = await runAxiJson(['setup', dir, '--from', 'docker/x.yml'], { env: sb.env });
    assert.equal(sub.json.project, 'docker');
    // Another repository whose compose file also sits in docker/: Compose would name it `docker` too.
    const dir2 = sb.folder('wild-other');
    mkdirSync(path.join(dir2, 'docker'));
    writeFileSync(path.join(dir2, 'docker', 'x.yml'), 'services: {db: {image: postgres}}\n');
    const sub2 = await runAxiJson(['setup', dir2, '--from', 'docker/x.yml'], { env: sb.env });
    assert.equal(sub2.code, 0, sub2.stderr);
    assert.notEqual(sub2.json.project, 'docker');
    assert.ok(sub2.json.notes.some((n: string) => n.startsWith(`${dir} already uses the main checkout's names`)));
    for (const d of [dir, dir2]) assert.equal((await runAxi(['remove', d], { env: sb.env })).code, 0);
  });

  test('privileged ports move into an unprivileged range for worktrees, deterministically; the main keeps them', async () => {
    const r = await pair('priv', 'services:\n  web: {image: nginx, ports: ["80:80", "443:443"]}\n');
    assert.deepEqual(r.main.ports, { web: 80, 'web:443': 443 });
    assert.ok(r.wt.ports.web >= 8080 && r.wt.ports.web < 8181, String(r.wt.ports.web));
    assert.ok(r.wt.ports['web:443'] >= 8443 && r.wt.ports['web:443'] < 8544);
    const again = await runAxiJson(['setup', r.dirs[1]!], { env: sb.env });
    assert.deepEqual(again.json.ports, r.wt.ports);
    const fresh = await runAxi(['setup', r.dirs[1]!, '--from', 'docker-compose.yml', '--reassign'], { env: sb.env });
    assert.match(
      fresh.stdout,
      /note: web: privileged port 80 maps to \d+ \(from 8080, so rootless engines can bind it\)/,
    );
  });

  test('heavy anchor use works; an alias bomb is exit 2 naming the file', async () => {
    const merges = Array.from({ length: 131 }, (_, i) => `  s${i}:\n    <<: *base\n`).join('');
    const r = await pair('anchors', `x-base: &base\n  image: busybox\n  environment: {A: "1"}\nservices:\n${merges}`);
    assert.equal(Object.keys(r.doc.services).length, 131);
    const dir = sb.folder('wild-bomb');
    const lvl = (n: number) =>
      `l${n}: &l${n} [${Array(10)
        .fill(`*l${n - 1}`)
        .join(',')}]\n`;
    writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      `l0: &l0 [x]\n${[1, 2, 3, 4, 5].map(lvl).join('')}services: {a: {image: busybox}}\n`,
    );
    const bomb = await runAxi(['setup', dir, '--from', 'docker-compose.yml'], { env: sb.env });
    assert.equal(bomb.code, 2, bomb.stderr);
    assert.match(bomb.stderr, /^axi: .*wild-bomb\/docker-compose\.yml: too many YAML aliases/);
  });

  test('an empty host IP, a required variable from .env, a port range, and octal modes', async () => {
    const r = await pair(
      'misc',
      [
        'services:',
        '  web:',
        '    image: nginx',
        '    ports: ["${HTTPS_BIND:-}:${HTTPS_PORT:-9443}:443", "${WEB_PORT:?set WEB_PORT}:80", "50100-50102:50100-50102/udp"]',
        '    secrets: [{source: key, mode: 0440}]',
        'secrets: {key: {file: ./key.txt}}',
        '',
      ].join('\n'),
      { '.env': 'WEB_PORT=8090\n', 'key.txt': 'k\n' },
    );
    // The range is a block of its own per instance (issue 29), its container side unchanged.
    assert.deepEqual(Object.keys(r.wt.ports), ['web', 'web:80', 'web:50100-50102/udp']);
    assert.deepEqual(r.doc.services.web.ports.slice(0, 2), [
      `127.0.0.1:${r.wt.ports.web}:443`,
      `127.0.0.1:${r.wt.ports['web:80']}:80`,
    ]);
    const first = r.wt.ports['web:50100-50102/udp'];
    assert.notEqual(first, 50100);
    assert.equal(r.doc.services.web.ports[2], `127.0.0.1:${first}-${first + 2}:50100-50102/udp`);
    assert.equal(r.doc.services.web.secrets[0].mode, 0o440);
    const dir = sb.folder('wild-required');
    writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      'services: {web: {image: nginx, ports: ["${WEB_PORT:?set WEB_PORT first}:80"]}}\n',
    );
    const missing = await runAxi(['setup', dir, '--from', 'docker-compose.yml'], { env: sb.env });
    assert.equal(missing.code, 2);
    assert.equal(
      missing.stderr,
      'axi: required variable WEB_PORT is not set: set WEB_PORT first (set it in the environment or .env)\n',
    );
  });

  test('a renamed container_name keeps the old name as an alias on its networks', async () => {
    const r = await pair(
      'alias',
      'services:\n  realtime: {image: busybox, container_name: realtime-dev.supabase-realtime}\n  kong: {image: busybox, container_name: kong, networks: [front, back]}\nnetworks: {front: {}, back: {}}\n',
    );
    assert.equal(r.doc.services.realtime.container_name, 'realtime-dev.supabase-realtime_aliaswt');
    assert.deepEqual(r.doc.services.realtime.networks, { default: { aliases: ['realtime-dev.supabase-realtime'] } });
    assert.deepEqual(r.doc.services.kong.networks, { front: { aliases: ['kong'] }, back: { aliases: ['kong'] } });
  });

  test('a fixed subnet, static addresses and a bridge name are made per instance; the main keeps them', async () => {
    const r = await pair(
      'subnet',
      [
        'services:',
        '  mta: {image: busybox, container_name: mta, networks: {mc: {ipv4_address: 172.22.1.10}}}',
        'networks:',
        '  mc:',
        '    driver_opts: {com.docker.network.bridge.name: br-mailcow}',
        '    ipam: {config: [{subnet: 172.22.1.0/24, gateway: 172.22.1.1}]}',
        '',
      ].join('\n'),
    );
    const net = r.doc.networks.mc;
    const [, a, b] = /^10\.(\d+)\.(\d+)\.0\/24$/.exec(net.ipam.config[0].subnet) ?? [];
    assert.ok(a && Number(a) >= 128 && Number(a) < 192, net.ipam.config[0].subnet);
    assert.equal(net.ipam.config[0].gateway, `10.${a}.${b}.1`);
    assert.deepEqual(r.doc.services.mta.networks.mc, { ipv4_address: `10.${a}.${b}.10`, aliases: ['mta'] });
    assert.equal(net.driver_opts['com.docker.network.bridge.name'], undefined);
    assert.ok(r.wt.notes.some((n: string) => n === `network mc: subnet 172.22.1.0/24 → 10.${a}.${b}.0/24`));
    const mainDoc = parse(readFileSync(path.join(r.dirs[0]!, 'docker-compose.instance.yml'), 'utf8'));
    assert.equal(mainDoc.networks.mc.ipam.config[0].subnet, '172.22.1.0/24');
  });

  test('without git, a compose project folder with no sibling named as its base is the main checkout', async () => {
    const dir = sb.folder('docker-jitsi-meet');
    writeFileSync(path.join(dir, 'docker-compose.yml'), 'services: {web: {image: nginx, ports: ["8000:80"]}}\n');
    const r = await runAxiJson(['setup', dir, '--from', 'docker-compose.yml'], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.json.main, r.json.project, r.json.ports], [true, 'docker-jitsi-meet', { web: 8000 }]);
  });

  test('a compose file in a subfolder keeps its surroundings: its .env, paths of mounts, env files, secrets, configs and builds', async () => {
    const compose = [
      'services:',
      '  web:',
      '    build: {context: ../app}',
      '    image: shop-web:${IMAGE_TAG}',
      '    ports: ["${WEB_PORT}:80"]',
      '    volumes: ["${DOCKER_SOCK}:/var/run/docker.sock:ro", "./conf:/etc/conf"]',
      '    env_file: [web.env]',
      '    secrets: [tok]',
      '    configs: [cfg]',
      'secrets: {tok: {file: ./tok.txt}}',
      'configs: {cfg: {file: ./cfg.txt}}',
      '',
    ].join('\n');
    const files = {
      'docker/docker-compose.yml': compose,
      'docker/.env': 'WEB_PORT=8095\nIMAGE_TAG=1.2\nDOCKER_SOCK=/var/run/docker.sock\n',
      'docker/web.env': 'A=1\n',
      'docker/tok.txt': 't\n',
      'docker/cfg.txt': 'c\n',
      'app/Dockerfile': 'FROM scratch\n',
    };
    const r = await pairOf('subdir', files, ['docker/docker-compose.yml']);
    assert.deepEqual(r.main.ports, { web: 8095 });
    const web = r.doc.services.web;
    assert.equal(typeof web.build === 'string' ? web.build : web.build.context, './app');
    assert.ok(web.volumes.includes('./docker/conf:/etc/conf'), JSON.stringify(web.volumes));
    assert.deepEqual(web.env_file, ['./docker/web.env']);
    assert.deepEqual([r.doc.secrets.tok.file, r.doc.configs.cfg.file], ['./docker/tok.txt', './docker/cfg.txt']);
    assert.match(
      r.text,
      /^# Compose reads docker\/\.env for it with: docker compose --env-file docker\/\.env -f docker-compose\.instance\.yml/m,
    );
    assert.doesNotMatch(r.text, /8095|IMAGE_TAG=1\.2/, 'values from docker/.env are not copied into the instance file');
  });

  test("ports from include: and extends: file: are the instance's own", async () => {
    const files = {
      'docker-compose.yml': 'include: [db.yml]\nservices: {web: {extends: {file: common.yml, service: webbase}}}\n',
      'common.yml': 'services: {webbase: {image: nginx, ports: ["8081:80"]}}\n',
      'db.yml': 'services: {db: {image: postgres, ports: ["5433:5432"]}}\n',
    };
    if (!byCompose) {
      const dir = sb.folder('wild-include');
      for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
      const r = await runAxi(['setup', dir, '--from', 'docker-compose.yml'], { env: sb.env });
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /^axi: .*wild-include\/docker-compose\.yml uses include:, which axi reads through Compose v2 \(docker compose config\); install the Compose plugin\n$/,
      );
      return;
    }
    const r = await pairOf('include', files);
    assert.deepEqual(r.main.ports, { web: 8081, db: 5433 });
    assert.deepEqual(Object.keys(r.wt.ports).sort(), ['db', 'web']);
    assert.notEqual(r.wt.ports.web, 8081);
    assert.deepEqual(r.doc.services.web.ports, [`127.0.0.1:${r.wt.ports.web}:80`]);
    assert.deepEqual(r.doc.services.db.ports, [`127.0.0.1:${r.wt.ports.db}:5432`]);
    assert.equal(r.doc.include, undefined);
  });

  test('override files merge as Compose merges them: environment by name, command replaced, one mount per target, !reset', async () => {
    const files = {
      'docker-compose.yml':
        'services:\n  web:\n    image: nginx\n    environment: {A: "1", B: "2"}\n    command: ["a", "b"]\n    volumes: ["./x:/data"]\n    ports: ["8082:80"]\n',
      'docker-compose.override.yml':
        'services:\n  web:\n    environment: ["C=3"]\n    command: ["c"]\n    volumes: ["./y:/data"]\n    ports: !reset []\n',
    };
    const from = ['docker-compose.yml', 'docker-compose.override.yml'];
    // Without Compose v2, axi merges them itself: the same result, compared with Compose's model all the same.
    const r = await pairOf('override', files, from);
    if (!byCompose)
      assert.ok(
        r.wt.notes.some((n: string) =>
          n.startsWith('Compose v2 not found: axi merged docker-compose.yml, docker-compose.override.yml itself'),
        ),
        r.wt.notes.join('\n'),
      );
    const web = r.doc.services.web;
    const env = Array.isArray(web.environment)
      ? web.environment
      : Object.entries(web.environment as Record<string, string>).map(([k, v]) => `${k}=${v}`);
    assert.deepEqual([...env].sort(), ['A=1', 'B=2', 'C=3']);
    assert.deepEqual(web.command, ['c']);
    assert.deepEqual(web.volumes, ['./y:/data']);
    assert.deepEqual([r.wt.ports, web.ports ?? []], [{}, []]);
  });

  test("ports inside environment values follow the instance's ports; .env.local uses the project's own variable names", async () => {
    const compose = [
      'services:',
      '  kong: {image: kong, ports: ["${KONG_HTTP_PORT:-8100}:8100", "8543:8543"]}',
      '  auth:',
      '    image: gotrue',
      '    environment: {API_EXTERNAL_URL: "${API_EXTERNAL_URL}", SITE_URL: "http://localhost:8100/app", OTHER: "http://localhost:9999"}',
      '    env_file: [auth.env]',
      '',
    ].join('\n');
    const r = await pair('envports', compose, {
      '.env': 'API_EXTERNAL_URL=http://localhost:8100\n',
      'auth.env': 'GOTRUE_URL=http://127.0.0.1:8543/x\nKEEP=http://localhost:1234\n',
    });
    const [k, tls] = [r.wt.ports.kong, r.wt.ports['kong:8543']];
    assert.ok(k !== 8100 && tls !== 8543, JSON.stringify(r.wt.ports));
    assert.deepEqual(r.doc.services.auth.environment, {
      API_EXTERNAL_URL: `http://localhost:${k}`,
      SITE_URL: `http://localhost:${k}/app`,
      OTHER: 'http://localhost:9999',
      GOTRUE_URL: `http://127.0.0.1:${tls}/x`,
    });
    for (const n of [
      `service auth: API_EXTERNAL_URL localhost:8100 → localhost:${k}`,
      `service auth: SITE_URL localhost:8100 → localhost:${k}`,
      `service auth: GOTRUE_URL 127.0.0.1:8543 → 127.0.0.1:${tls}`,
    ]) {
      assert.ok(r.wt.notes.includes(n), `${n} not in ${r.wt.notes.join(' | ')}`);
    }
    assert.match(r.env, new RegExp(`^KONG_HTTP_PORT=${k}$`, 'm'));
    const mainDoc = parse(readFileSync(path.join(r.dirs[0]!, 'docker-compose.instance.yml'), 'utf8'));
    assert.equal(
      mainDoc.services.auth.environment.API_EXTERNAL_URL,
      '${API_EXTERNAL_URL}',
      'the main keeps its references',
    );
  });
});
