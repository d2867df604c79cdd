import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { forTerminal } from '../../main/core/util/controlChars';
import { AXI_BIN, runAxi, runAxiJson, sandbox } from '../helpers';
import { removeOwned, RUN } from './dockerHelpers';

const ESC = '\x1b';
const HOSTILE = `${ESC}]0;pwned\x07${ESC}[2J`;

/** Runs axi on a pseudo-terminal (util-linux `script`), in `cwd`; what the terminal received. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const log = path.join(env.AXI_HOME!, `..`, `tty-${Math.random().toString(36).slice(2)}.log`);
  // `script` takes one command line for sh: only our own fixed words go in it (each single-quoted).
  const line = [process.execPath, AXI_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) =>
    execFile('script', ['-q', '-e', '-c', line, log], { env, cwd }, (err) =>
      // Without the log's own header and footer lines (they quote the command line as typed).
      err
        ? reject(new Error(err.message))
        : resolve(readFileSync(log, 'latin1').replace(/^Script (started|done) on .*$/gm, '')),
    ),
  );
}

describe('terminal output: controls from containers and folder names are shown escaped', () => {
  const sb = sandbox();
  const env = { ...sb.env, AXI_PREFIX: `axtty${RUN}` };
  const dir = sb.folder(`aegisx-starter-tty${RUN}`);
  // A parent folder whose name retitles the terminal and clears it; the checkout's own name is plain.
  const hostile = path.join(sb.dir, `work${HOSTILE}`, `aegisx-starter-ttyb${RUN}`);
  let name = '';

  before(async () => {
    mkdirSync(path.join(dir, 'talk'), { recursive: true });
    writeFileSync(
      path.join(dir, 'talk', 'talk.sh'),
      `printf 'before\\033]0;pwned\\007\\033[2J\\033]8;;http://evil.example/\\033\\\\link\\033]8;;\\033\\\\after\\n'\nexec sleep 600\n`,
    );
    writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      `services:\n  talk:\n    image: redis:7-alpine\n    entrypoint: ["sh", "/talk/talk.sh"]\n    volumes:\n      - ./talk:/talk:ro\n`,
    );
    mkdirSync(hostile, { recursive: true });
    writeFileSync(path.join(hostile, 'docker-compose.yml'), `services:\n  talk:\n    image: redis:7-alpine\n`);
    const r = await runAxiJson(['setup', dir, '--from', 'docker-compose.yml'], { env });
    assert.equal(r.code, 0, r.stderr);
    name = r.json.name as string;
    const up = await runAxi(['up', name], { env });
    assert.equal(up.code, 0, up.stderr);
  });
  after(async () => {
    // A main checkout's project is Compose's own (its folder's name), not `<prefix>_<name>`: found by label.
    await removeOwned(env);
    sb.cleanup();
  });

  test('escaping keeps newline and tab and text, and writes every other C0/C1 control as \\xHH', () => {
    assert.equal(forTerminal('a\tb\nc é'), 'a\tb\nc é');
    assert.equal(forTerminal(`${ESC}]0;x\x07\r\x9b2J`), '\\x1b]0;x\\x07\\x0d\\x9b2J');
  });

  test('axi logs on a terminal shows the escape sequences as text; --raw passes them through', async () => {
    let out = '';
    for (let i = 0; i < 20 && !out.includes('after'); i++) {
      await new Promise((r) => setTimeout(r, 300));
      out = await onTerminal(['logs', name], env, sb.dir);
    }
    assert.match(out, /before\\x1b\]0;pwned\\x07\\x1b\[2J\\x1b\]8;;http:\/\/evil\.example\/\\x1b\\link/);
    assert.ok(!out.includes(ESC) && !out.includes('\x07'), `raw controls reached the terminal: ${JSON.stringify(out)}`);
    const raw = await onTerminal(['logs', name, '--raw'], env, sb.dir);
    assert.ok(raw.includes(`before${ESC}]0;pwned\x07`), JSON.stringify(raw));
  });

  test("a parent folder's name reaches setup and list output escaped", async () => {
    for (const args of [['setup', hostile, '--from', 'docker-compose.yml'], ['list']]) {
      const out = await onTerminal(args, env, sb.dir);
      assert.ok(out.includes('work\\x1b]0;pwned\\x07'), `${args[0]}: ${JSON.stringify(out)}`);
      assert.ok(!out.includes(ESC), `${args[0]}: raw controls reached the terminal: ${JSON.stringify(out)}`);
    }
  });
});
