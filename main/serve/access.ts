import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { fail, parseUrl } from './httpReplies';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Who may talk to `axi serve`: only our own Host and Origin (no DNS rebinding), and for the API only with the
 * token as a bearer (`Authorization`). The token is never a cookie: browsers send a loopback cookie to every
 * port of that host, so any local dev server the user opens would receive it. The page takes the token from
 * the printed URL into its own tab's storage (per origin, so per port). The page's files themselves are the
 * public build and need no token. Returns the request's URL when it may go on; otherwise the reply is sent.
 */
export function admit(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  token: string,
  allowedHosts: ReadonlySet<string>,
): URL | undefined {
  const host = req.headers.host ?? '';
  if (!allowedHosts.has(host)) return void fail(res, 403, `forbidden host ${JSON.stringify(host)}`);
  const origin = req.headers.origin;
  if (origin && !allowedHosts.has(origin.replace(/^http:\/\//, '')))
    return void fail(res, 403, `forbidden origin ${JSON.stringify(origin)}`);
  const url = parseUrl(req.url ?? '/', host);
  if (!url) return void fail(res, 400, 'malformed request URL');
  const given = url.searchParams.get('token');
  if (given !== null && !same(given, token))
    return void fail(res, 401, 'unauthorized: this is not the URL that axi serve printed');
  if (!url.pathname.startsWith('/api/')) return url;
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!bearer || !same(bearer, token)) return void fail(res, 401, 'unauthorized: open the URL that axi serve printed');
  return url;
}
