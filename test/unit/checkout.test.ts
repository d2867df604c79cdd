import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { checkoutInstance, exportLines, parseDotenv } from '../../main/core/instances/records/checkout';
import type { InstanceRecord } from '../../main/core/registry/record';
import { sandbox } from '../helpers';

test('export lines survive bash eval byte for byte, whatever the value', () => {
  const vars = { PLAIN: 'a/b:c@d', SPACE: 'a b', QUOTE: "it's", DOLLAR: '$(touch PWNED) `x` $HOME', NL: 'a\nb' };
  const out = execFileSync('bash', [
    '-c',
    'eval "$1"; printf "%s\\0" "$PLAIN" "$SPACE" "$QUOTE" "$DOLLAR" "$NL"',
    'x',
    exportLines(vars),
  ]);
  assert.deepEqual(out.toString().split('\0').slice(0, -1), Object.values(vars));
});

test('.env.local as the generator writes it: bare, single-quoted and JSON values; comments skipped', () => {
  const text =
    '# header\n# axi-checksum: sha256:' + '0'.repeat(64) + '\nA=1\n# c\nB=\'x y\'\nC="q\\"z"\n\nexport D=e\n';
  assert.deepEqual(parseDotenv(text), { A: '1', B: 'x y', C: 'q"z', D: 'e' });
});

test('this checkout: the registered folder, or the nearest one above; outside any, an error naming the folder', async () => {
  const sb = sandbox();
  try {
    const folder = sb.folder('repo');
    const deep = path.join(folder, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    const rec = { name: 'repo', folder } as InstanceRecord;
    const service = { records: () => Promise.resolve([rec]) };
    assert.equal(await checkoutInstance(service, deep), rec);
    assert.equal(await checkoutInstance(service, folder), rec);
    await assert.rejects(checkoutInstance(service, sb.dir), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'NOT_FOUND');
      assert.ok(e.message.startsWith(`${sb.dir} is not inside a registered checkout`), e.message);
      return true;
    });
  } finally {
    sb.cleanup();
  }
});
