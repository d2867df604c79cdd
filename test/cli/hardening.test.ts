import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { render } from '../../main/core/project/instanceFiles';
import { parseMirror } from '../../main/core/registry/portRegistryMirror';
import { AEGISX_PRESET, portsForSlot } from '../../main/core/project/preset';
import { InstanceService } from '../../main/core/instances/service';
import { setupController } from '../../main/api/controller/controller';
import { createBackend } from '../../main/docker/lifecycle/backend';
import { preferredSlot } from '../../main/core/ports/portAllocator';
import { ROOT, runAxi, runAxiJson, sandbox, type Sandbox } from '../helpers';
import { portableCli } from '../portableCli';

const PORT_MANAGER = path.join(ROOT, 'test', 'fixtures', 'port-manager.sh');

function portManager(sb: Sandbox, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) =>
    execFile(
      'bash',
      [PORT_MANAGER, ...args],
      { env: { ...sb.env, AEGISX_PORT_REGISTRY: sb.env.AXI_PORT_REGISTRY } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) || 1 : 0, out: stdout + stderr }),
    ),
  );
}

/** The registry must be exactly as before: no instances.json, or the same bytes. */
function registrySnapshot(sb: Sandbox): string {
  const f = path.join(sb.env.AXI_HOME!, 'instances.json');
  return existsSync(f) ? readFileSync(f, 'utf8') : '(none)';
}

describe('the registry file in every shape the AegisX scripts wrote', () => {
  const suffix = 'shapes';
  const p = portsForSlot(AEGISX_PRESET, preferredSlot(AEGISX_PRESET, suffix));
  const shapes = {
    'folder name first, no timestamp': `aegisx-starter-old:${p.postgres}:${p.redis}:${p.api}:${p.web}:${p.admin}:${p.pgadmin}`,
    'no pgAdmin port': `older:${p.postgres}:${p.redis}:${p.api}:${p.web}:${p.admin}:2025-09-13_09:15`,
    "the seed's": `seedline:${p.postgres}:${p.redis}:${p.api}:${p.web}:${p.admin}:${p.pgadmin}:2025-09-13_09:15`,
  };

  test('each shape is parsed into its ports, with its line number', () => {
    const text = `# team registry\n${Object.values(shapes).join('\n')}\nnot a registry line\n`;
    const { entries, unreadable, otherLines } = parseMirror(text);
    assert.deepEqual(
      entries.map((e) => [e.name, e.line, e.ports.web, e.ports.pgadmin]),
      [
        ['aegisx-starter-old', 2, p.web, p.pgadmin],
        ['older', 3, p.web, undefined],
        ['seedline', 4, p.web, p.pgadmin],
      ],
    );
    assert.deepEqual(unreadable, [{ line: 5, text: 'not a registry line' }]);
    assert.deepEqual(otherLines, ['# team registry', 'not a registry line']);
  });

  for (const [shape, line] of Object.entries(shapes)) {
    test(`a line of the ${shape} shape reserves its ports; check-conflicts names the line`, async () => {
      const sb = sandbox();
      try {
        writeFileSync(sb.env.AXI_PORT_REGISTRY!, `# kept\n${line}\n`);
        const r = await runAxiJson(['setup', sb.folder(`aegisx-starter-${suffix}`)], { env: sb.env });
        assert.equal(r.code, 0, r.stderr);
        const reserved = new Set(Object.values(parseMirror(line).entries[0]!.ports));
        const clash = Object.values<number>(r.json.ports).filter((x) => reserved.has(x));
        assert.deepEqual(clash, [], `setup handed out reserved ports ${clash.join(', ')}`);
        assert.ok(
          readFileSync(sb.env.AXI_PORT_REGISTRY!, 'utf8').includes(`${line}\n`),
          'the line was not kept verbatim',
        );
        // A registration made before the fix, on the reserved ports: reported, naming the line.
        const reg = JSON.parse(readFileSync(path.join(sb.env.AXI_HOME!, 'instances.json'), 'utf8'));
        reg.instances[0].ports.web = p.web;
        writeFileSync(path.join(sb.env.AXI_HOME!, 'instances.json'), JSON.stringify(reg));
        const c = await runAxiJson(['check-conflicts'], { env: sb.env });
        assert.equal(c.code, 1);
        const web = c.json.conflicts.find((x: { port: number }) => x.port === p.web);
        assert.deepEqual(web.registryLines, [{ name: line.split(':')[0], line: 2 }]);
        const text = await runAxi(['check-conflicts'], { env: sb.env });
        assert.match(
          text.stdout,
          new RegExp(
            `${p.web}\\s+registry\\s+web\\s+shapes, ${line.split(':')[0]}\\s+registered twice \\(aegisx-port-registry line 2: ${line.split(':')[0]}\\)`,
          ),
        );
      } finally {
        sb.cleanup();
      }
    });
  }

  test('a line that matches no shape is kept and reported with its line number', async () => {
    const sb = sandbox();
    try {
      writeFileSync(sb.env.AXI_PORT_REGISTRY!, 'auth:5466:6414\n');
      const r = await runAxi(['setup', sb.folder('aegisx-starter-odd')], { env: sb.env });
      assert.equal(r.code, 0, r.stderr);
      const c = await runAxiJson(['check-conflicts'], { env: sb.env });
      // axi's own line comes first in the file it writes: the kept line is now line 2.
      assert.deepEqual(c.json.unreadableLines, [{ file: sb.env.AXI_PORT_REGISTRY, line: 2, text: 'auth:5466:6414' }]);
      assert.match(c.stderr, /aegisx-port-registry line 2 matches no known shape, kept as it is: "auth:5466:6414"/);
      assert.ok(readFileSync(sb.env.AXI_PORT_REGISTRY!, 'utf8').includes('auth:5466:6414\n'));
    } finally {
      sb.cleanup();
    }
  });

  test("the team's port-manager.sh list and conflicts still work on the file axi writes", async () => {
    const sb = sandbox();
    try {
      for (const s of ['pm-one', 'pm-two'])
        assert.equal((await runAxi(['setup', sb.folder(`aegisx-starter-${s}`)], { env: sb.env })).code, 0);
      const ports = (await runAxiJson(['list'], { env: sb.env })).json.find(
        (i: { name: string }) => i.name === 'pm_one',
      ).ports;
      const list = await portManager(sb, ['list']);
      assert.equal(list.code, 0, list.out);
      assert.match(
        list.out,
        new RegExp(
          `^pm_one\\s+${ports.postgres}\\s+${ports.redis}\\s+${ports.api}\\s+${ports.web}\\s+${ports.admin}\\s+${ports.pgadmin}\\s+\\d{4}-\\d\\d-\\d\\d_\\d\\d:\\d\\d$`,
          'm',
        ),
      );
      assert.deepEqual([(await portManager(sb, ['conflicts'])).out.trim()], ['No conflicts']);
      // And the other way round: a clash the script sees is one axi sees too.
      writeFileSync(
        sb.env.AXI_PORT_REGISTRY!,
        readFileSync(sb.env.AXI_PORT_REGISTRY!, 'utf8') + `legacy:${ports.postgres}:1:2:3:4:5:2025-09-13_09:15\n`,
      );
      assert.equal((await portManager(sb, ['conflicts'])).code, 1);
      assert.equal((await runAxi(['check-conflicts'], { env: sb.env })).code, 1);
    } finally {
      sb.cleanup();
    }
  });
});

describe('nothing is written outside the registered folder', () => {
  const sb = sandbox();
  after(() => sb.cleanup());

  for (const file of ['.env', '.env.local', 'docker-compose.instance.yml']) {
    test(`a ${file} that is a symlink out of the folder is refused, and its target is untouched`, async () => {
      const dir = sb.folder(`aegisx-starter-link${file.replace(/\W/g, '')}`);
      const outside = path.join(sb.dir, `outside-${file}`);
      writeFileSync(outside, 'precious\n');
      symlinkSync(outside, path.join(dir, file));
      const before = registrySnapshot(sb);
      const r = await runAxi(['setup', dir], { env: sb.env });
      assert.equal(r.code, 2, r.stdout);
      assert.equal(
        r.stderr,
        `axi: ${path.join(dir, file)} is a symlink to ${outside}, outside ${dir}; refusing to write through it\n`,
      );
      assert.equal(readFileSync(outside, 'utf8'), 'precious\n');
      assert.equal(registrySnapshot(sb), before, 'the registry changed');
    });
  }

  test('a .bak that is a symlink out of the folder is replaced, never written through', async () => {
    const dir = sb.folder('aegisx-starter-bak');
    assert.equal((await runAxi(['setup', dir], { env: sb.env })).code, 0);
    writeFileSync(path.join(dir, '.env.local'), 'HAND=edited\n');
    const outside = path.join(sb.dir, 'outside-bak');
    writeFileSync(outside, 'precious\n');
    symlinkSync(outside, path.join(dir, '.env.local.bak'));
    assert.equal((await runAxi(['setup', dir, '--force'], { env: sb.env })).code, 0);
    assert.equal(readFileSync(outside, 'utf8'), 'precious\n');
    assert.equal(readFileSync(path.join(dir, '.env.local.bak'), 'utf8'), 'HAND=edited\n');
  });

  test('a symlink that stays inside the folder is written through', async () => {
    const dir = sb.folder('aegisx-starter-inlink');
    mkdirSync(path.join(dir, 'config'));
    writeFileSync(path.join(dir, 'config', 'env'), 'API_KEY=dev\n');
    symlinkSync('config/env', path.join(dir, '.env'));
    const r = await runAxi(['setup', dir], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      readFileSync(path.join(dir, 'config', 'env'), 'utf8'),
      /^API_KEY=dev\n# axi: .*\nCOMPOSE_PROJECT_NAME=aegisx_inlink\n$/,
    );
  });

  test('folder names with control characters are refused before anything is written', async () => {
    for (const bad of [
      'aegisx-starter-x\nservices:',
      'aegisx-starter-tab\there',
      'aegisx-starter-cr\rx',
      'aegisx-starter-nel\u0085x',
    ]) {
      const dir = sb.folder(bad);
      const r = await runAxi(['setup', dir], { env: sb.env });
      assert.equal(r.code, 2, JSON.stringify(bad));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^axi: folder name ".*" contains control characters/);
      assert.ok(!existsSync(path.join(dir, '.env.local')));
      const viaEnv = await runAxi(['setup', sb.folder('checkout-ctl')], { env: { ...sb.env, FOLDER_NAME: bad } });
      assert.equal(viaEnv.code, 2);
    }
  });

  test('no input becomes a line of its own in a generated header', () => {
    const text = render({ path: '/x', header: ['Instance of: a\nservices: {evil: {}}'], body: 'services: {}\n' });
    assert.equal(text.split('\n')[0], '# Instance of: a\\u000aservices: {evil: {}}');
    assert.deepEqual(Object.keys(parse(text)), ['services']);
  });
});

describe('registration is all-or-nothing', () => {
  const sb = sandbox();
  after(() => sb.cleanup());

  test('a folder whose files cannot be written leaves the registry as it was', async () => {
    const dir = sb.folder('aegisx-starter-blocked');
    mkdirSync(path.join(dir, 'docker-compose.instance.yml')); // a directory where the file goes: EISDIR even as root
    const before = registrySnapshot(sb);
    const r = await runAxi(['setup', dir], { env: sb.env });
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /^axi: cannot read .*docker-compose\.instance\.yml: .*EISDIR/);
    assert.equal(registrySnapshot(sb), before);
    assert.ok(!existsSync(path.join(dir, '.env.local')), '.env.local was written although the setup failed');
  });

  test(
    'registering a folder this user cannot write (root-owned, as nobody) fails and registers nothing',
    {
      skip:
        process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv')
          ? 'needs root and setpriv to act as another user'
          : false,
    },
    async () => {
      const home = path.join(sb.dir, 'nobody-home');
      mkdirSync(home, { recursive: true });
      chmodSync(sb.dir, 0o755);
      execFileSync('chown', ['-R', '65534:65534', home]);
      const env = { ...sb.env, AXI_HOME: home, AXI_PORT_REGISTRY: path.join(home, 'registry'), HOME: home };
      // Run from a copy: the clone may sit where nobody cannot enter (a 0700 home, a `mktemp -d`).
      const cli = portableCli();
      after(() => cli.cleanup());
      const asNobody = (args: string[]) =>
        new Promise<{ code: number; err: string }>((resolve) =>
          execFile(
            'setpriv',
            ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cli.bin, ...args],
            { env, cwd: cli.dir },
            (e, _o, err) => resolve({ code: e ? Number(e.code) : 0, err }),
          ),
        );
      // A checkout root owns (a system folder such as /etc is refused before this, for anyone).
      const rootOnly = sb.folder('aegisx-starter-rootonly');
      chmodSync(path.dirname(rootOnly), 0o755);
      chmodSync(rootOnly, 0o755);
      const r = await asNobody(['setup', rootOnly, '--name', 'rootonly']);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.err, `axi: cannot write to ${rootOnly} (EACCES); nothing was registered\n`);
      assert.ok(
        !existsSync(path.join(home, 'instances.json')) ||
          !readFileSync(path.join(home, 'instances.json'), 'utf8').includes('"rootonly"'),
      );
      assert.ok(!existsSync(path.join(rootOnly, '.env.local')));
    },
  );
});

describe('bounded input', () => {
  const sb = sandbox();
  after(() => sb.cleanup());

  test('a compose file over 1 MB is refused at once with a clear error', async () => {
    const dir = sb.folder('big');
    const filler = Array.from({ length: 60_000 }, (_, i) => `      - X${i}=${'y'.repeat(8)}`).join('\n');
    writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      `services:\n  web:\n    image: nginx\n    environment:\n${filler}\n`,
    );
    const started = Date.now();
    const r = await runAxi(['setup', dir, '--from', 'docker-compose.yml'], { env: sb.env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^axi: .*docker-compose\.yml is 1\.\d MB; axi reads YAML files up to 1 MB\n$/);
    assert.ok(Date.now() - started < 5000);
  });

  test('from: paths must stay inside the repository, symlinks resolved, and their content is never echoed', async () => {
    const dir = sb.folder('escape');
    const r = await runAxi(['setup', dir, '--from', '/etc/passwd'], { env: sb.env });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^axi: compose file \/etc\/passwd is outside the repository .*escape; refusing to read it\n$/,
    );
    assert.doesNotMatch(r.stderr, /root:/);
    symlinkSync('/etc/passwd', path.join(dir, 'compose.yml'));
    writeFileSync(path.join(dir, '.aegisx-instances.yml'), 'from: compose.yml\n');
    const viaConfig = await runAxi(['setup', dir], { env: sb.env });
    assert.equal(viaConfig.code, 2);
    assert.match(viaConfig.stderr, /compose file compose\.yml is outside the repository/);
    assert.doesNotMatch(viaConfig.stderr, /root:/);
  });

  test('a repository config or template that leads outside the repository, or to a device, is refused unread', async () => {
    const dir = sb.folder('aegisx-starter-cfglink');
    symlinkSync('/etc/passwd', path.join(dir, '.aegisx-instances.yml'));
    const r = await runAxi(['setup', dir], { env: sb.env });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^axi: repository config \.aegisx-instances\.yml is outside the repository .*; refusing to read it\n$/,
    );
    assert.doesNotMatch(r.stderr, /root:/);
    const dev = sb.folder('aegisx-starter-devzero');
    mkdirSync(path.join(dev, 'templates'));
    symlinkSync('/dev/zero', path.join(dev, 'templates', 'zero.yml'));
    writeFileSync(path.join(dev, 'templates', 'out.yml'), 'x');
    const zero = await runAxi(['setup', dev, '--template', 'zero'], { env: sb.env });
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /template templates\/zero\.yml is outside the repository|is not a regular file/);
  });

  test('a repository config over 1 MB is refused', async () => {
    const dir = sb.folder('aegisx-starter-bigconfig');
    writeFileSync(path.join(dir, '.aegisx-instances.yml'), `# ${'x'.repeat(1_100_000)}\nslots: 100\n`);
    const r = await runAxi(['setup', dir], { env: sb.env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.aegisx-instances\.yml is 1\.\d MB; axi reads YAML files up to 1 MB/);
  });
});

describe('a dev stack private to this machine', () => {
  const sb = sandbox();
  after(() => sb.cleanup());

  test('--from rewrites publish on 127.0.0.1, keeping a host address the user wrote', async () => {
    const dir = sb.folder('shop-bind');
    writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      // A main checkout keeps the file's host ports: uncommon ones, so a Postgres on this host's 5432 changes nothing.
      'services:\n  web: {image: nginx, ports: ["18180:80", "0.0.0.0:18443:443", "9000"]}\n  db: {image: postgres, ports: [{target: 5432, published: 15532}]}\n',
    );
    const r = await runAxiJson(['setup', dir, '--from', 'docker-compose.yml'], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    const doc = parse(readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8'));
    const [web, webTls, anyPort] = doc.services.web.ports;
    assert.match(web, /^127\.0\.0\.1:\d+:80$/);
    assert.match(webTls, /^0\.0\.0\.0:\d+:443$/);
    assert.equal(anyPort, '127.0.0.1::9000');
    // A plain long-syntax entry becomes the short form, which Compose v1 reads too (it has no host_ip).
    assert.match(doc.services.db.ports[0], /^127\.0\.0\.1:\d+:5432$/);
    assert.equal(r.json.bind, '127.0.0.1');
  });

  test('list shows every instance its own ports, and an opt-in LAN address', async () => {
    const dir = sb.folder('shop-lan');
    writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      // Uncommon host ports, as above: a main checkout keeps them, and a running instance on 8124 made this fail.
      'services:\n  web: {image: nginx, ports: ["18124:80"]}\n  db: {image: postgres, ports: ["15476:5432"]}\n',
    );
    const r = await runAxiJson(['setup', dir, '--from', 'docker-compose.yml', '--bind', '0.0.0.0'], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8'), /- 0\.0\.0\.0:\d+:80/);
    const list = await runAxi(['list'], { env: sb.env });
    assert.match(list.stdout, /^NAME\s+STATUS\s+PORTS\s+BIND\s+FOLDER$/m);
    const { web, db } = r.json.ports;
    assert.match(
      list.stdout,
      new RegExp(`^${r.json.name}\\s+\\S+\\s+web ${web}, db ${db}\\s+0\\.0\\.0\\.0 \\(LAN\\)\\s`, 'm'),
    );
    const bad = await runAxi(['setup', dir, '--from', 'docker-compose.yml', '--bind', 'everywhere'], { env: sb.env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^axi: --bind "everywhere" is not an IP address/);
  });

  test('bind: in the repository config opens the AegisX stack to the LAN; a bad value names the key', async () => {
    const dir = sb.folder('aegisx-starter-lan');
    writeFileSync(path.join(dir, '.aegisx-instances.yml'), 'bind: 0.0.0.0\n');
    assert.equal((await runAxi(['setup', dir], { env: sb.env })).code, 0);
    assert.match(readFileSync(path.join(dir, 'docker-compose.instance.yml'), 'utf8'), /- '0\.0\.0\.0:\d+:5432'/);
    writeFileSync(path.join(dir, '.aegisx-instances.yml'), 'bind: lan\n');
    const bad = await runAxi(['setup', dir], { env: sb.env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\.aegisx-instances\.yml: key bind: an IP address/);
  });
});

describe('a start checks only its own ports', () => {
  test("checkConflicts({ only }) probes that instance's ports and no one else's; its own containers' ports are not conflicts", async () => {
    const sb = sandbox();
    try {
      const probed: number[] = [];
      const busy = new Set<number>();
      const probe = { isFree: async (p: number) => (probed.push(p), !busy.has(p)), owners: async () => new Map() };
      const paths = {
        home: sb.env.AXI_HOME!,
        registryFile: path.join(sb.env.AXI_HOME!, 'instances.json'),
        mirrorFile: sb.env.AXI_PORT_REGISTRY!,
        snapshotsDir: path.join(sb.env.AXI_HOME!, 'snapshots'),
      };
      const service = new InstanceService({ paths, probe });
      const a = await service.setup(sb.folder('aegisx-starter-only-a'), { env: {} });
      const b = await service.setup(sb.folder('aegisx-starter-only-b'), { env: {} });
      probed.length = 0;
      busy.add(b.ports.web!).add(a.ports.postgres!);
      const own = new Map([[a.ports.postgres!, a.id]]);
      assert.deepEqual(await service.checkConflicts({ only: a.name, ownPorts: own }), []);
      assert.deepEqual(probed.sort(), Object.values(a.ports).sort());
      const all = await service.checkConflicts({ ownPorts: own });
      assert.deepEqual(
        all.map((c) => [c.port, c.instances]),
        [[b.ports.web, [b.name]]],
      );
    } finally {
      sb.cleanup();
    }
  });
});

describe('destructive API calls need the instance name', () => {
  test('resetInstance and restoreInstance are refused without confirm equal to the name, before anything runs', async () => {
    const sb = sandbox();
    try {
      const paths = {
        home: sb.env.AXI_HOME!,
        registryFile: path.join(sb.env.AXI_HOME!, 'instances.json'),
        mirrorFile: sb.env.AXI_PORT_REGISTRY!,
        snapshotsDir: path.join(sb.env.AXI_HOME!, 'snapshots'),
      };
      const backend = createBackend({ paths, env: { DOCKER_HOST: 'unix:///nonexistent.sock' } });
      const controller = setupController({ backend });
      const { name } = await backend.service.setup(sb.folder('aegisx-starter-confirm'), { env: {} });
      const missing = await controller.invoke('resetInstance', [name, { snapshot: false }]);
      assert.deepEqual(missing, {
        ok: false,
        error: {
          code: 'BAD_INPUT',
          message:
            'bad arguments for resetInstance at 1.confirm: Invalid key: Expected "confirm" but received undefined',
        },
      });
      const wrong = await controller.invoke('resetInstance', [name, { snapshot: false, confirm: 'yes' }]);
      assert.equal(wrong.ok, false);
      assert.equal(
        (wrong as { error: { message: string } }).error.message,
        `reset deletes the data of ${name}: pass confirm equal to the instance name ("${name}") to go ahead`,
      );
      const restore = await controller.invoke('restoreInstance', [name, null, { confirm: 'other' }]);
      assert.match(
        (restore as { error: { message: string } }).error.message,
        /^restore deletes the data of confirm: pass confirm equal/,
      );
      // With the name, the call goes on to the engine (absent here: exit-3 kind of error, not a refusal).
      const right = await controller.invoke('resetInstance', [name, { snapshot: false, confirm: name }]);
      assert.equal((right as { error: { code: string } }).error.code, 'DOCKER_UNAVAILABLE');
    } finally {
      sb.cleanup();
    }
  });
});

describe('axi --version', () => {
  test('--version and -V print the package version', async () => {
    const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    for (const flag of ['--version', '-V']) {
      const r = await runAxi([flag]);
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, `${version}\n`, '']);
    }
  });
});
