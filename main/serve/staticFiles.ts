/** The built renderer's files, with the window's CSP. */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { decodePath, fail } from './httpReplies';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** The same strict policy as the Electron window. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A file of the built renderer. */
export async function serveStatic(staticDir: string, pathname: string, res: http.ServerResponse): Promise<void> {
  const decoded = pathname === '/' ? '/index.html' : decodePath(pathname);
  if (decoded === undefined) return fail(res, 400, `malformed percent-encoding in path ${pathname}`);
  const rel = decoded.replace(/^\/+/, '');
  const file = path.resolve(staticDir, rel);
  if (!file.startsWith(path.resolve(staticDir) + path.sep)) return fail(res, 404, `not found: ${pathname}`);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return fail(res, 404, `not found: ${pathname}`);
  const headers = {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  if (rel === 'index.html') {
    const html = await readFile(file, 'utf8');
    res.writeHead(200, { ...headers, 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-store' });
    return void res.end(html);
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'max-age=3600',
  });
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}
