/**
 * `ajv` and `ajv-formats` in `dist/mcpSdk.cjs`: the SDK's default JSON Schema validator imports them,
 * and `axi mcp` passes its own (see server.ts), so ~230 KB of ajv is never loaded. Constructing one is a bug.
 */
export default function Ajv(): never {
  throw new Error('ajv is not bundled with axi mcp: pass a jsonSchemaValidator');
}
