/**
 * The parts of `@modelcontextprotocol/sdk` that `axi mcp` uses. `npm run build` bundles this file on
 * its own (`dist/mcpSdk.cjs`, ajv left out: the server validates with the API table's own schemas),
 * so only `axi mcp` loads the SDK, as one file instead of a few hundred modules.
 */
export { Server } from '@modelcontextprotocol/sdk/server/index.js';
export { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
export {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
