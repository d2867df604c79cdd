import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { requireWithCodeCache } from '../../core/util/codeCache';

export type McpSdk = typeof import('./sdkEntry');

/**
 * The SDK: the pre-bundled `dist/mcpSdk.cjs` next to the CLI bundle, else (tsc's output, tests)
 * `sdkEntry` from node_modules. A computed path, so the CLI bundle never inlines the SDK.
 */
export function loadSdk(): McpSdk {
  const bundled = path.join(__dirname, 'mcpSdk.cjs');
  if (existsSync(bundled)) return requireWithCodeCache(bundled) as McpSdk;
  return createRequire(__filename)(path.join(__dirname, 'sdkEntry')) as McpSdk;
}
