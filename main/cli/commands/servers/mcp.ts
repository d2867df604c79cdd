import type { CliCommand } from '../../command';

export const command: CliCommand<[], { all?: boolean }> = {
  name: 'mcp',
  description:
    "an MCP server on stdin/stdout for coding agents, scoped to this checkout's instance (its tools are the API's)",
  options: [{ flags: '--all', description: 'act on every registered instance, not only this checkout' }],
  async run({ backend, version }, _args, o) {
    // Loaded here only: other commands never pay for the MCP server or its SDK.
    const { serveMcp } = require('../../../mcp/server') as typeof import('../../../mcp/server');
    await serveMcp(backend(), { all: Boolean(o.all), version });
  },
};
