import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadComposeSource } from '../../main/core/compose/composeSource';

const dir = mkdtempSync(path.join(os.tmpdir(), 'axi-merge-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** axi's own merge (no Compose model given), as the files read it; Compose v2 gives the same (compose suites). */
async function merged(files: Record<string, string>): Promise<Record<string, unknown>> {
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
  const source = await loadComposeSource(dir, Object.keys(files));
  return source.doc.services.web as Record<string, unknown>;
}

test("Compose's merge rules: command replaced, environment by name, one mount per path, !reset and !override", async () => {
  const web = await merged({
    'a.yml':
      'services:\n  web:\n    image: nginx\n    environment: {A: "1", B: "2"}\n    labels: ["x=1"]\n    command: ["a", "b"]\n    volumes: ["./x:/data", {type: bind, source: ./l, target: /logs}]\n    ports: ["8082:80"]\n    dns: ["1.1.1.1"]\n',
    'b.yml':
      'services:\n  web:\n    environment:\n      A: !reset null\n      C: "3"\n    labels: !override ["y=2"]\n    command: ["c"]\n    volumes: ["./y:/data", "./z:/logs"]\n    ports: !reset []\n    dns: ["8.8.8.8"]\n',
  });
  assert.deepEqual(web.environment, { B: '2', C: '3' });
  assert.deepEqual(web.labels, ['y=2']);
  assert.deepEqual(web.command, ['c']);
  assert.deepEqual(web.volumes, ['./y:/data', './z:/logs']);
  assert.equal(web.ports, undefined);
  assert.deepEqual(web.dns, ['1.1.1.1', '8.8.8.8']);
});

test('environment lists merge by name and stay lists; a lone file keeps no merge tag', async () => {
  const web = await merged({
    'a.yml': 'services:\n  web:\n    image: nginx\n    environment: ["A=1", "B"]\n',
    'b.yml': 'services:\n  web:\n    environment: ["A=2", "C=3"]\n    healthcheck: {test: !override ["CMD", "true"]}\n',
  });
  assert.deepEqual(web.environment, ['A=2', 'B', 'C=3']);
  assert.deepEqual(web.healthcheck, { test: ['CMD', 'true'] });
});
