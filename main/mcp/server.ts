import type { Backend } from '../docker/lifecycle/backend';
import { toErrorPayload } from '../shared/errors';
import { McpApp } from './app';
import { openScope } from './scope/liveScope';
import { loadSdk } from './sdk/sdk';

export interface McpOptions {
  all: boolean;
  cwd?: string;
  version: string;
}

/** No ajv: nothing here asks the SDK to validate JSON Schemas (elicitation, tool output schemas). */
const noValidation = {
  getValidator: () => (input: unknown) => ({ valid: true as const, data: input as never, errorMessage: undefined }),
};

/**
 * `axi mcp`: the MCP server on stdin/stdout until stdin closes. It starts anywhere: outside a
 * registered repository every tool answers why and what fixes it (the client never sees stderr).
 */
export async function serveMcp(backend: Backend, opts: McpOptions): Promise<void> {
  const app = new McpApp(backend, await openScope(backend.service, opts.all, opts.cwd));
  const sdk = loadSdk();
  const server = new sdk.Server(
    { name: 'axi', version: opts.version },
    {
      capabilities: { tools: {}, resources: {} },
      instructions: app.scope.instructions(),
      jsonSchemaValidator: noValidation,
    },
  );
  server.setRequestHandler(sdk.ListToolsRequestSchema, () => ({ tools: app.listTools() }));
  server.setRequestHandler(sdk.CallToolRequestSchema, (req) =>
    app.callTool(req.params.name, req.params.arguments ?? {}),
  );
  server.setRequestHandler(sdk.ListResourcesRequestSchema, async () => ({ resources: await app.listResources() }));
  server.setRequestHandler(sdk.ReadResourceRequestSchema, async (req) => {
    try {
      return { contents: [await app.readResource(req.params.uri)] };
    } catch (err) {
      const e = toErrorPayload(err);
      throw new Error(`${e.code}: ${e.message}`, { cause: err });
    }
  });
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
    process.stdin.once('end', resolve);
  });
  await server.connect(new sdk.StdioServerTransport());
  await closed;
  app.close();
  await server.close().catch(() => undefined);
}
