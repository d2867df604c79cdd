import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { supportedSettings } from '../../main/api/handlers/settings';
import { autostartEntry, autostartFile, loginItemWay, setXdgAutostart } from '../../main/electron/loginItem';

test('start at login: Electron on macOS and Windows, XDG autostart on Linux, unsupported elsewhere', () => {
  assert.equal(loginItemWay('darwin'), 'electron');
  assert.equal(loginItemWay('win32'), 'electron');
  assert.equal(loginItemWay('linux'), 'xdg');
  assert.equal(loginItemWay('aix'), null);
  assert.deepEqual(supportedSettings('app').startAtLogin, { ok: true });
  assert.deepEqual(supportedSettings('app', 'not here').startAtLogin, { ok: false, reason: 'not here' });
  assert.equal(supportedSettings('serve').startAtLogin.ok, false);
});

test('the autostart entry: under XDG_CONFIG_HOME (else ~/.config); Exec quoted as the Desktop Entry spec asks', () => {
  assert.equal(autostartFile('app', { XDG_CONFIG_HOME: '/c', HOME: '/h' }), '/c/autostart/app.desktop');
  assert.equal(autostartFile('app', { XDG_CONFIG_HOME: 'rel', HOME: '/h' }), '/h/.config/autostart/app.desktop');
  const entry = autostartEntry({ title: 'T', comment: 'c', exec: ['/opt/My App/app', '/x/$HOME "q"', '100%'] });
  assert.match(entry, /^Exec="\/opt\/My App\/app" "\/x\/\\\$HOME \\"q\\"" 100%%$/m);
  assert.match(entry, /^\[Desktop Entry\]\nType=Application\nName=T\n/);
});

test('written and removed; a symlink in its place is replaced, its target untouched', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-autostart-'));
  try {
    const file = path.join(dir, 'autostart', 'a.desktop');
    setXdgAutostart(file, 'entry\n');
    assert.equal(readFileSync(file, 'utf8'), 'entry\n');
    setXdgAutostart(file, null);
    assert.equal(existsSync(file), false);
    setXdgAutostart(file, null); // already off
    const outside = path.join(dir, 'outside.txt');
    writeFileSync(outside, 'keep');
    mkdirSync(path.dirname(file), { recursive: true });
    symlinkSync(outside, file);
    setXdgAutostart(file, 'entry\n');
    assert.equal(lstatSync(file).isSymbolicLink(), false);
    assert.equal(readFileSync(outside, 'utf8'), 'keep');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
