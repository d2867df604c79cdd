/** Small HTTP pieces of `axi serve`: replies, bounded bodies, parsing that never throws. */
import type http from 'node:http';

/** Largest /api/call body; real calls are a few hundred bytes. */
export const BODY_LIMIT = 1 << 20;

export function send(
  res: http.ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
  extra: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  res.end(body);
}

/** An error as one line of plain text: what a terminal, a log or the dashboard's error banner shows. */
export function fail(
  res: http.ServerResponse,
  status: number,
  message: string,
  extra: http.OutgoingHttpHeaders = {},
): void {
  send(res, status, message.replace(/\s*\n\s*/g, ' ').trim() + '\n', undefined, extra);
}

/**
 * The body as text, or undefined once it passes `limit`. Reading stops there
 * (the caller answers 413 and closes the connection) instead of buffering on.
 */
export function readBody(req: http.IncomingMessage, limit = BODY_LIMIT): Promise<string | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData).pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

/** A `{ method, args }` call, or why the body is not one. */
export function parseCall(text: string): { method?: unknown; args?: unknown } | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'body is not JSON; send {"method": "...", "args": [...]}';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'body must be a JSON object like {"method": "...", "args": [...]}';
  return body;
}

/** A path segment decoded, or undefined for a malformed %-escape (decodeURIComponent throws on those). */
export function decodePath(p: string): string | undefined {
  try {
    return decodeURIComponent(p);
  } catch {
    return undefined;
  }
}

/** The request target resolved against our own origin, or undefined when it does not parse. */
export function parseUrl(target: string, host: string): URL | undefined {
  try {
    return new URL(target, `http://${host}`);
  } catch {
    return undefined;
  }
}

/** Status line and one-line body for a request Node could not parse. */
export function clientErrorReply(code: string | undefined): [string, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return ['431 Request Header Fields Too Large', 'request headers too large\n'];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return ['408 Request Timeout', 'request not received in time\n'];
  return ['400 Bad Request', 'malformed HTTP request\n'];
}
