import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import {
  checkSetting,
  DEFAULT_SETTINGS,
  isDockerEndpoint,
  parseSettingsPatch,
  readSettings,
} from '../../main/shared/schemas/settings';
import { FileSettingsStore } from '../../main/core/registry/settingsFile';
import { sandbox } from '../helpers';

describe('the settings schema', () => {
  test('defaults: notifications on, no login item, automatic endpoint, loopback', () => {
    assert.deepEqual(DEFAULT_SETTINGS, {
      notifications: true,
      startAtLogin: false,
      dockerEndpoint: null,
      defaultBind: '127.0.0.1',
      listView: 'cards',
      routerPort: null,
      routerTls: false,
    });
  });

  test('each bad value is one line naming the key and the value', () => {
    const refused: [Parameters<typeof checkSetting>[0], unknown, string][] = [
      ['notifications', 'yes', 'notifications must be true or false, not "yes"'],
      ['startAtLogin', 1, 'startAtLogin must be true or false, not 1'],
      [
        'defaultBind',
        'localhost',
        'defaultBind "localhost" is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for the LAN)',
      ],
      ['defaultBind', 8080, 'defaultBind must be an IP address, not 8080'],
      [
        'dockerEndpoint',
        'ftp://host',
        'dockerEndpoint "ftp://host" is not a Docker endpoint: use unix:///path/to/docker.sock, tcp://host:2375, https://host:2376, ssh://user@host or npipe://…',
      ],
      ['dockerEndpoint', 42, 'dockerEndpoint must be a URL or empty, not 42'],
      ['routerPort', 70000, 'routerPort 70000 is not a port number (1-65535, or empty for automatic)'],
      ['routerPort', 'x', 'routerPort "x" is not a port number (1-65535, or empty for automatic)'],
    ];
    for (const [key, value, message] of refused) {
      assert.throws(() => checkSetting(key, value), { name: 'AxiError', code: 'BAD_INPUT', message }, key);
      assert.doesNotMatch(message, /\n/);
    }
  });

  test('good values are normalised: trimmed, an empty endpoint is automatic (null)', () => {
    assert.equal(checkSetting('defaultBind', ' 0.0.0.0 '), '0.0.0.0');
    assert.equal(checkSetting('defaultBind', '::1'), '::1');
    assert.equal(checkSetting('dockerEndpoint', '  '), null);
    assert.equal(checkSetting('dockerEndpoint', null), null);
    assert.equal(checkSetting('dockerEndpoint', ' tcp://10.0.0.5:2375 '), 'tcp://10.0.0.5:2375');
    assert.equal(checkSetting('routerPort', ' 8088 '), 8088);
    assert.equal(checkSetting('routerPort', ''), null);
  });

  test('Docker endpoints as DOCKER_HOST takes them', () => {
    for (const ok of [
      'unix:///var/run/docker.sock',
      'tcp://127.0.0.1:2375',
      'https://docker.example:2376',
      'ssh://me@box',
      'npipe:////./pipe/docker_engine',
    ])
      assert.ok(isDockerEndpoint(ok), ok);
    for (const bad of ['unix://relative.sock', 'tcp://', '/var/run/docker.sock', 'docker.sock', 'unix:///a b'])
      assert.ok(!isDockerEndpoint(bad), bad);
  });

  test('a change is an object of known keys; one bad value refuses it', () => {
    assert.deepEqual(parseSettingsPatch({ notifications: false, defaultBind: '0.0.0.0' }), {
      notifications: false,
      defaultBind: '0.0.0.0',
    });
    assert.throws(() => parseSettingsPatch({ theme: 'dark' }), {
      message:
        'unknown setting "theme" (known: notifications, startAtLogin, dockerEndpoint, defaultBind, listView, routerPort, routerTls)',
    });
    assert.throws(() => parseSettingsPatch([]), /settings must be an object/);
    assert.throws(() => parseSettingsPatch({ notifications: true, defaultBind: 'x' }), /defaultBind "x"/);
  });

  test('a stored bad value reads as its default and is reported with where it is', () => {
    const stored: Record<string, unknown> = { defaultBind: 'nope', notifications: false };
    const r = readSettings((k) => stored[k], '/h/settings.json');
    assert.deepEqual(r.settings, { ...DEFAULT_SETTINGS, notifications: false });
    assert.equal(
      r.problem,
      '/h/settings.json: defaultBind "nope" is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for the LAN) (the default, "127.0.0.1", is in use)',
    );
  });
});

describe('$AXI_HOME/settings.json', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  let n = 0;
  const fresh = () => {
    const home = path.join(sb.dir, `home${++n}`);
    return { home, file: path.join(home, 'settings.json'), store: new FileSettingsStore({ home }) };
  };

  test('no file: the defaults, nothing reported, nothing written', () => {
    const { store, file } = fresh();
    assert.deepEqual(store.read(), { settings: DEFAULT_SETTINGS, problem: null });
    assert.equal(existsSync(file), false);
    assert.equal(store.where, file);
  });

  test('a change is written whole, as JSON, through a rename (no temporary file left)', async () => {
    const { store, file, home } = fresh();
    const r = await store.update({ defaultBind: '0.0.0.0' });
    assert.equal(r.settings.defaultBind, '0.0.0.0');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { defaultBind: '0.0.0.0' });
    await store.update({ notifications: false });
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { defaultBind: '0.0.0.0', notifications: false });
    assert.deepEqual(readdirSync(home).sort(), ['settings.json']);
  });

  test("keys this version does not know are kept (a newer axi's)", async () => {
    const { store, file, home } = fresh();
    mkdirSync(home, { recursive: true });
    writeFileSync(file, JSON.stringify({ theme: 'dark' }));
    await store.update({ startAtLogin: true });
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { theme: 'dark', startAtLogin: true });
  });

  test('a corrupt file reads as the defaults, is reported, and is kept aside (not silently overwritten) on the next change', async () => {
    const { store, file, home } = fresh();
    mkdirSync(home, { recursive: true });
    writeFileSync(file, '{ "defaultBind": "0.0.0.0", ');
    const r = store.read();
    assert.deepEqual(r.settings, DEFAULT_SETTINGS);
    assert.match(r.problem!, new RegExp(`^${file} is not valid JSON \\(.+\\): the defaults are in use; it is left`));
    assert.equal(readFileSync(file, 'utf8'), '{ "defaultBind": "0.0.0.0", ', 'reading changes nothing');
    const saved = await store.update({ notifications: false });
    assert.equal(
      saved.problem,
      `${file} could not be read, so it was kept as ${file}.broken before this change was saved`,
    );
    assert.equal(readFileSync(`${file}.broken`, 'utf8'), '{ "defaultBind": "0.0.0.0", ');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { notifications: false });
    assert.equal(store.read().problem, null);
  });

  test('a file that is JSON but not an object is reported too', () => {
    const { store, file, home } = fresh();
    mkdirSync(home, { recursive: true });
    writeFileSync(file, '[1, 2]');
    assert.match(store.read().problem!, /is not a JSON object: the defaults are in use/);
  });

  test('changes from two processes at once both land (a cross-process lock around each read-modify-write)', async () => {
    const { home, file } = fresh();
    const a = new FileSettingsStore({ home });
    const b = new FileSettingsStore({ home });
    const binds = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'];
    await Promise.all(
      binds.flatMap((bind, i) => [a.update({ defaultBind: bind }), b.update({ notifications: i % 2 === 0 })]),
    );
    const final = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(Object.keys(final).sort(), ['defaultBind', 'notifications']);
    assert.ok(binds.includes(final.defaultBind));
    assert.equal(existsSync(path.join(home, 'settings.lock')), false, 'the lock is released');
  });
});
