import path from 'node:path';
import { requireWithCodeCache } from './codeCache';

/**
 * In the CLI's and the MCP server's bundles `yaml` resolves here: the yaml package pre-bundled as one file
 * (`dist/yaml.cjs`) and loaded through V8's code cache. From node_modules it is ~50 modules compiled on each run,
 * ~30 ms of every command that reads a compose file (clone-data reads two before its first copy); this way ~4 ms.
 */
export = requireWithCodeCache(path.join(__dirname, 'yaml.cjs')) as typeof import('yaml');
