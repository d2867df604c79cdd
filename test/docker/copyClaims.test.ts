import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { copyVolumes } from '../../main/docker/data/cloneData';
import { createBackend } from '../../main/docker/lifecycle/backend';
import { sandbox, sandboxPaths } from '../helpers';
import { exec, RUN } from './dockerHelpers';

const IMAGE = 'postgres:15-alpine';

/**
 * The data copy's workers claim entries by name (review of issue 30's verified copies), on real engine volumes:
 * two volumes of hundreds of top-level entries (files, folders, hidden names, spaces), four workers each, every
 * entry copied once, the figures those of the source, and the content the same file by file.
 */
describe("a data copy's workers copy every entry exactly once", () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const backend = createBackend({ env, paths: sandboxPaths(env) });
  const vol = (n: string) => `axitest-cc${RUN}-${n}`;
  const pairs = [
    { key: 'big', from: vol('big'), to: vol('tbig') },
    { key: 'small', from: vol('small'), to: vol('tsmall') },
  ];
  /** Runs a shell line with `volume` at /v (the stand-in image: nothing pulled). */
  const inVolume = async (volume: string, line: string) => {
    const r = await exec('docker', ['run', '--rm', '--network', 'none', '-v', `${volume}:/v`, IMAGE, 'sh', '-c', line]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  };
  // Entries and bytes of regular files, counted here independently of the copy's own tally; and a checksum list.
  const figures = async (volume: string) =>
    (
      await inVolume(
        volume,
        'cd /v; find . -mindepth 1 ! -path "./.axi-old-*" | wc -l; find . -type f ! -path "./.axi-old-*" -exec stat -c %s {} + | awk "{b+=\\$1} END {print b+0}"',
      )
    )
      .split('\n')
      .map(Number);
  const sums = (volume: string) =>
    inVolume(volume, 'cd /v; find . -type f ! -path "./.axi-old-*" -exec md5sum {} + | sort -k2');

  before(async () => {
    // 600 top-level entries: files of many sizes, folders of files, hidden names, names with spaces.
    await inVolume(
      vol('big'),
      'i=0; while [ $i -lt 600 ]; do case $((i % 10)) in 0) mkdir "/v/d$i"; head -c $((i * 7)) /dev/urandom > "/v/d$i/f"; echo x > "/v/d$i/g" ;; 1) head -c $i /dev/urandom > "/v/.h$i" ;; 2) head -c $((i * 3)) /dev/urandom > "/v/with space $i" ;; *) head -c $((i * 13)) /dev/urandom > "/v/e$i" ;; esac; i=$((i+1)); done',
    );
    await inVolume(
      vol('small'),
      'i=0; while [ $i -lt 150 ]; do head -c $((i * 11)) /dev/urandom > "/v/s$i"; i=$((i+1)); done',
    );
    // The targets hold old data, replaced by the copy.
    for (const t of [vol('tbig'), vol('tsmall')])
      await inVolume(t, 'echo OLD > /v/old; mkdir /v/olddir; echo OLD > /v/olddir/x');
  });

  after(async () => {
    // The container deleting the targets' old files removes itself: wait for it before the volumes go.
    for (let k = 0; k < 40; k++) {
      const r = await exec('docker', ['volume', 'rm', ...['big', 'small', 'tbig', 'tsmall'].map(vol)]);
      if (r.code === 0 || /no such volume/i.test(r.stderr)) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    sb.cleanup();
  });

  test('hundreds of entries, several workers: figures match the source, and so does every file', async () => {
    const { docker } = await backend.lifecycle.docker();
    const want = await Promise.all(pairs.map((p) => figures(p.from)));
    assert.equal(want[0]![0], 600 + 60 * 2, 'the big volume: 600 top-level entries and 120 files in its folders');
    for (const round of [1, 2]) {
      // The second round copies over the first's result: the same figures again.
      const { copied } = await copyVolumes(docker, pairs, IMAGE, `axitest-cc${RUN}`);
      assert.deepEqual(
        copied.map((c) => [c.key, c.entries, c.bytes]),
        pairs.map((p, i) => [p.key, ...want[i]!]),
        `round ${round}`,
      );
      for (const p of pairs) {
        assert.deepEqual(await figures(p.to), want[pairs.indexOf(p)], `${p.to}, round ${round}`);
        assert.equal(await sums(p.to), await sums(p.from), `${p.to} holds the source's files, round ${round}`);
      }
    }
  });
});
