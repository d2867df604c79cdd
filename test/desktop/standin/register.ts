/**
 * Maps `electron` to the stand-in for require (the app's main, compiled to
 * CommonJS) and for import (electron-store is ESM). Loaded in the test's own
 * process, and with `node --require` for a second app process.
 */
import Module, { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const STANDIN = path.join(__dirname, 'electron.js');
const M = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
const resolve = M._resolveFilename.bind(M);
M._resolveFilename = (request: string, ...rest: unknown[]) =>
  request === 'electron' ? STANDIN : resolve(request, ...rest);

const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: ${JSON.stringify(pathToFileURL(STANDIN).href)}, shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
