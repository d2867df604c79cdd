import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parsedYamlFile } from '../../main/docker/compose/parsedFile';

/**
 * A compose file's parse is kept (in the process, and on disk beside the code cache) only for the exact text it
 * came from: an edited file is parsed again, and a kept parse of other text is never used. Real files.
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'axi-parsed-'));
after(() => rmSync(root, { recursive: true, force: true }));

const env = (home: string) => ({ AXI_HOME: home }) as NodeJS.ProcessEnv;

test('an edited compose file is parsed again, in this process and from the disk cache', async () => {
  const home = path.join(root, 'home1');
  mkdirSync(home, { mode: 0o700 });
  const file = path.join(root, 'a.yml');
  writeFileSync(file, 'services:\n  db:\n    image: postgres:15-alpine\n');
  assert.deepEqual(await parsedYamlFile(file, env(home)), { services: { db: { image: 'postgres:15-alpine' } } });
  const kept = readdirSync(path.join(home, 'code-cache')).filter((n) => n.startsWith('yaml-'));
  assert.equal(kept.length, 1, 'the parse is kept on disk');
  // Same length, other image: a cache keyed by anything but the exact text would answer the old one.
  writeFileSync(file, 'services:\n  db:\n    image: postgres:16-alpine\n');
  assert.deepEqual(await parsedYamlFile(file, env(home)), { services: { db: { image: 'postgres:16-alpine' } } });
  const cached = JSON.parse(readFileSync(path.join(home, 'code-cache', kept[0]!), 'utf8')) as { text: string };
  assert.match(cached.text, /postgres:16-alpine/, 'the disk cache holds the new text');
});

/** parsedYamlFile in a fresh process (nothing kept in memory): what it answers for `file`. */
function inChild(file: string, home: string): unknown {
  const mod = path.join(__dirname, '..', '..', 'main', 'docker', 'compose', 'parsedFile.js');
  const code = `require(${JSON.stringify(mod)}).parsedYamlFile(process.argv[1]).then((d) => console.log(JSON.stringify(d)))`;
  const out = execFileSync(process.execPath, ['-e', code, file], {
    env: { ...process.env, AXI_HOME: home },
    encoding: 'utf8',
  });
  return JSON.parse(out) as unknown;
}

test('a kept parse is used only for the exact text it came from', async () => {
  const home = path.join(root, 'home2');
  mkdirSync(home, { mode: 0o700 });
  const file = path.join(root, 'b.yml');
  const text = 'volumes:\n  data: {}\n';
  writeFileSync(file, text);
  assert.deepEqual(inChild(file, home), { volumes: { data: {} } });
  const [name] = readdirSync(path.join(home, 'code-cache')).filter((n) => n.startsWith('yaml-'));
  const cacheFile = path.join(home, 'code-cache', name!);
  // A kept parse for this very text is what a later process answers (the file is not parsed again)...
  writeFileSync(cacheFile, JSON.stringify({ file, text, doc: { volumes: { kept: {} } } }), { mode: 0o600 });
  assert.deepEqual(inChild(file, home), { volumes: { kept: {} } });
  // ...and once the file's text differs from it, the file is parsed again.
  writeFileSync(file, 'volumes:\n  data: {}\n  logs: {}\n');
  assert.deepEqual(inChild(file, home), { volumes: { data: {}, logs: {} } });
});
