import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AXI_BIN } from '../helpers';

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
