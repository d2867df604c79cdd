import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { fail, parseUrl } from './httpReplies';

const COOKIE = 'axi_token';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: http.IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === COOKIE) return rest.join('=');
  }
  return undefined;
}

/**
 * Who may talk to `axi serve`: only our own Host and Origin (no DNS rebinding), and only with the token, given
 * once in the printed URL (traded for an HttpOnly cookie) or as a bearer. Returns the request's URL when it may
 * go on; otherwise the reply is already sent.
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
  if (given && same(given, token) && req.method === 'GET') {
    // First load: trade the URL's token for a cookie and drop it from the address bar.
    url.searchParams.delete('token');
    res.writeHead(303, {
      'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      Location: url.pathname + (url.search || ''),
      'Cache-Control': 'no-store',
    });
    return void res.end();
  }
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const presented = cookieToken(req) ?? bearer;
  if (!presented || !same(presented, token))
    return void fail(res, 401, 'unauthorized: open the URL that axi serve printed');
  return url;
}
