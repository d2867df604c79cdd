import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AXI_BIN, runAxiJson } from '../helpers';
import { exec } from './dockerHelpers';

type Registered = { name: string; id: string; folder: string; ports: Record<string, number> };

/**
 * The scope suites' ground: repository `main` with worktrees `<main>-a` and `<main>-b`, and `other`, another
 * repository (with a first commit when `otherCommitted`); each registered with `axi setup`, by key.
 */
export async function repositoriesSetUp(
  env: NodeJS.ProcessEnv,
  main: string,
  other: string,
  otherCommitted: boolean,
): Promise<Record<'main' | 'a' | 'b' | 'other', Registered>> {
  const git = async (dir: string, ...args: string[]) =>
    assert.equal((await exec('git', ['-C', dir, ...args], env)).code, 0, args.join(' '));
  for (const dir of otherCommitted ? [main, other] : [main]) {
    await git(dir, 'init', '-q', '-b', 'main');
    await git(dir, 'commit', '-q', '--allow-empty', '-m', 'init');
  }
  for (const s of ['a', 'b']) await git(main, 'worktree', 'add', '-q', `${main}-${s}`);
  if (!otherCommitted) await exec('git', ['init', '-q', other], env);
  const inst: Partial<Record<'main' | 'a' | 'b' | 'other', Registered>> = {};
  for (const [k, dir] of [
    ['main', main],
    ['a', `${main}-a`],
    ['b', `${main}-b`],
    ['other', other],
  ] as const) {
    const r = await runAxiJson(['setup', dir], { env });
    assert.equal(r.code, 0, r.stderr);
    inst[k] = r.json;
  }
  return inst as Record<'main' | 'a' | 'b' | 'other', Registered>;
}

/**
 * `axi mcp` servers as an agent reaches them, through the SDK's own client over stdio: `connect` starts one in
 * `cwd` (with axi mcp's `args`), `close` ends every one it started (in the suite's after-hook).
 */
export function mcpClients(env: NodeJS.ProcessEnv, name = 'axi-test') {
  const clients: Client[] = [];
  return {
    connect: async (cwd: string, ...args: string[]): Promise<Client> => {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [AXI_BIN, 'mcp', ...args],
        cwd,
        env: env as Record<string, string>,
        stderr: 'ignore',
      });
      const client = new Client({ name, version: '1' });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    },
  };
}

/** One tool call: whether the tool said it failed, its JSON answer, and that answer's size in bytes. */
export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}) {
  const r = await client.callTool({ name, arguments: args });
  const text = (r.content as { type: string; text: string }[])[0]!.text;
  // `any`: each suite reads the fields of the tool it called.
  return { isError: Boolean(r.isError), json: JSON.parse(text), bytes: Buffer.byteLength(text) };
}
