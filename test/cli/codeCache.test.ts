import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT } from '../helpers';

// The V8 code cache is code: V8 runs a cache built from other source of the same length. Another local user
// (uid 65533 here) must never get theirs run by someone running axi (uid 65534), nor make them write elsewhere.
const VICTIM = 65534;
const OTHER = 65533;
const GOOD = "module.exports = 'good';";
const EVIL = "module.exports = 'evil';"; // same length: V8 accepts the cache for GOOD's source

const canSwitchUser = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');

describe(
  'the code cache trusts only what this user made',
  { skip: canSwitchUser ? false : 'needs root and setpriv' },
  () => {
    let dir: string; // world-readable, wherever the clone sits: what the victim runs is copied here
    let evilCache: string;
    let key: string;

    /** Loads mod.js through the code cache as the victim; prints what the module exported. */
    const asVictim = (cacheBase: string): string =>
      execFileSync(
        'setpriv',
        [`--reuid=${VICTIM}`, `--regid=${VICTIM}`, '--clear-groups', process.execPath, path.join(dir, 'load.js')],
        {
          env: {
            PATH: process.env.PATH,
            HOME: path.join(dir, 'victim-home'),
            XDG_CACHE_HOME: cacheBase,
            TMPDIR: cacheBase,
          },
        },
      )
        .toString()
        .trim();

    /** A folder owned by `uid` with `mode` (the cache base the victim was given, or the other user's). */
    const folder = (name: string, uid: number, mode: number): string => {
      const p = path.join(dir, name);
      mkdirSync(p, { recursive: true });
      chownSync(p, uid, uid);
      chmodSync(p, mode);
      return p;
    };
    const binsUnder = (p: string): string[] =>
      readdirSync(p, { recursive: true, encoding: 'utf8' }).filter(
        (f): f is string => typeof f === 'string' && f.endsWith('.bin'),
      );

    before(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'axi-code-cache-test-'));
      chmodSync(dir, 0o755);
      copyFileSync(path.join(ROOT, 'dist', 'codeCache.cjs'), path.join(dir, 'codeCache.cjs'));
      writeFileSync(path.join(dir, 'mod.js'), GOOD);
      writeFileSync(
        path.join(dir, 'load.js'),
        `const { requireWithCodeCache } = require('./codeCache.cjs');\n` +
          `console.log(requireWithCodeCache(require('path').join(__dirname, 'mod.js'), 'v'));\n`,
      );
      folder('victim-home', VICTIM, 0o700);
      // The other user's cache for EVIL, which V8 takes for GOOD's.
      const build = `const { Script } = require('vm'); const { wrap } = require('module');
      const s = new Script(wrap(${JSON.stringify(EVIL)}), { filename: 'mod.js' }); s.runInThisContext();
      process.stdout.write(s.createCachedData());`;
      const other = folder('other', OTHER, 0o755);
      evilCache = path.join(other, 'evil.bin');
      writeFileSync(evilCache, execFileSync(process.execPath, ['-e', build]));
      chownSync(evilCache, OTHER, OTHER);
      // The victim's own first run names the cache file (the key is predictable; an attacker computes it).
      const clean = folder('clean', VICTIM, 0o700);
      assert.equal(asVictim(clean), 'good');
      const bins = binsUnder(clean);
      assert.equal(bins.length, 1, `one cache file written: ${bins.join(', ')}`);
      key = path.basename(bins[0] ?? 'none');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('a cache folder path planted as a symlink to a folder of the victim: nothing is written there', () => {
      const shared = folder('shared-plant', 0, 0o777); // a temp folder anyone can write to
      const victimPrivate = folder('victim-ssh', VICTIM, 0o700); // such as ~/.ssh
      for (const name of ['aegisx-instances', `axi-code-cache-${VICTIM}`]) {
        symlinkSync(victimPrivate, path.join(shared, name));
        execFileSync('chown', ['-h', `${OTHER}:${OTHER}`, path.join(shared, name)]);
      }
      assert.equal(asVictim(shared), 'good');
      assert.equal(asVictim(shared), 'good');
      assert.deepEqual(readdirSync(victimPrivate), [], 'axi wrote into the folder the symlink pointed at');
    });

    test('the symlink swapped between a folder of the victim and the other user’s: their code never runs', async () => {
      const shared = folder('shared-swap', 0, 0o777);
      const mine = folder('victim-cache', VICTIM, 0o700);
      const theirs = folder('other-cache', OTHER, 0o755);
      for (const d of [path.join(mine, 'code-cache'), path.join(theirs, 'code-cache')]) mkdirSync(d);
      chownSync(path.join(mine, 'code-cache'), VICTIM, VICTIM);
      chmodSync(path.join(mine, 'code-cache'), 0o700);
      copyFileSync(evilCache, path.join(theirs, key));
      copyFileSync(evilCache, path.join(theirs, 'code-cache', key));
      // Links at both the old (temp folder) and the new (cache base) place, flipped by rename as fast as it goes.
      const flip = (name: string, a: string, b: string) =>
        `const fs = require('fs'); const p = ${JSON.stringify(path.join(shared, name))};
       for (let i = 0; ; i++) { const t = p + '.t'; try { fs.unlinkSync(t); } catch {}
         fs.symlinkSync(i % 2 ? ${JSON.stringify(a)} : ${JSON.stringify(b)}, t); fs.renameSync(t, p); }`;
      const flippers = [
        spawn(process.execPath, ['-e', flip(`axi-code-cache-${VICTIM}`, mine, theirs)], { stdio: 'ignore' }),
        spawn(process.execPath, ['-e', flip('aegisx-instances', mine, theirs)], { stdio: 'ignore' }),
      ];
      try {
        await new Promise((r) => setTimeout(r, 200));
        const seen = new Set<string>();
        for (let i = 0; i < 30; i++) seen.add(asVictim(shared));
        assert.deepEqual([...seen], ['good']);
      } finally {
        for (const f of flippers) f.kill();
      }
    });

    test('a folder the other user created first at the cache path is not used', () => {
      const shared = folder('shared-precreated', 0, 0o777);
      for (const rel of ['aegisx-instances/code-cache', `axi-code-cache-${VICTIM}`]) {
        const p = path.join(shared, rel);
        mkdirSync(p, { recursive: true });
        execFileSync('chown', ['-R', `${OTHER}:${OTHER}`, path.join(shared, rel.split('/')[0] ?? rel)]);
        chmodSync(p, 0o777);
        copyFileSync(evilCache, path.join(p, key));
        chownSync(path.join(p, key), OTHER, OTHER);
      }
      assert.equal(asVictim(shared), 'good');
      assert.equal(asVictim(shared), 'good');
      const written = binsUnder(shared).filter((f) => statSync(path.join(shared, f)).uid === VICTIM);
      assert.deepEqual(written, [], 'the victim wrote its cache into the other user’s folder');
    });

    test('a file in the victim’s own cache folder that another user owns, or a symlink, is ignored and rebuilt', () => {
      for (const kind of ['foreign-owned', 'symlink'] as const) {
        const base = folder(`own-${kind}`, VICTIM, 0o700);
        assert.equal(asVictim(base), 'good');
        const cacheFile = path.join(base, binsUnder(base)[0] ?? 'none');
        unlinkSync(cacheFile);
        if (kind === 'symlink') symlinkSync(evilCache, cacheFile);
        else {
          copyFileSync(evilCache, cacheFile);
          chownSync(cacheFile, OTHER, OTHER);
          chmodSync(cacheFile, 0o644);
        }
        assert.equal(asVictim(base), 'good', kind);
        const st = lstatSync(cacheFile);
        assert.ok(st.isFile() && st.uid === VICTIM, `${kind}: the cache was rebuilt by the victim`);
        assert.equal(asVictim(base), 'good', kind);
      }
    });
  },
);
