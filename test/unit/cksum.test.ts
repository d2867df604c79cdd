import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { cksum } from '../../main/core/util/cksum';
import { AEGISX_PRESET } from '../../main/core/project/preset';
import { preferredSlot } from '../../main/core/ports/portAllocator';

const execFileAsync = promisify(execFile);

/** The seed's shell way, with the suffix passed as data (an environment variable), never as shell text. */
async function shellCksum(suffix: string): Promise<number> {
  const { stdout } = await execFileAsync('sh', ['-c', 'printf %s "$SUFFIX" | cksum'], {
    env: { ...process.env, SUFFIX: suffix },
  });
  return Number(stdout.trim().split(/\s+/)[0]);
}

const SUFFIXES = [
  '',
  'a',
  'auth',
  'payment',
  'ui-fix',
  'auth-fix',
  'mobile-api',
  'dashboard',
  'feature-x',
  'user-auth',
  'payment-integration',
  'hotfix',
  'AUTH',
  'with space',
  'ünïcödé',
  '日本語',
  'emoji-🚀',
  'dots.and.more',
  '$(touch x)',
  'a;b',
  'x'.repeat(200),
  'y'.repeat(255),
  'z'.repeat(256),
  'q'.repeat(65537),
  ...Array.from({ length: 40 }, (_, i) => `feature-${i * 7919}`),
];

test('engine cksum equals `printf %s "$suffix" | cksum` for every suffix, and so does the slot', async () => {
  for (const s of SUFFIXES) {
    const expected = await shellCksum(s);
    assert.equal(cksum(s), expected, `cksum of ${JSON.stringify(s.slice(0, 30))}`);
    assert.equal(preferredSlot(AEGISX_PRESET, s), expected % 100);
  }
});
