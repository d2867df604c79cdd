/**
 * The router's own pages, for a request it will not pass on: an unknown name (with the running
 * instances' names, so a typo is one click from right), a stopped instance (with its start command),
 * a remote one whose tunnel is closed, a name two instances share, and a service not answering.
 */
import net from 'node:net';
import type { RouteDecision } from '../core/routes/routeDecision';
import { hostOf } from '../core/routes/routes';
import { editDistance } from '../core/instances/records/refSuggest';

export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface Page {
  status: number;
  html: string;
}

/** A running instance as the 404 page lists it. */
export interface ListedInstance {
  label: string;
  urls: string[];
}

export function page(status: number, title: string, body: string, head = ''): Page {
  return {
    status,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><meta name="viewport" content="width=device-width">${head}<style>body{font:15px/1.5 system-ui,sans-serif;margin:3em auto;max-width:46em;padding:0 1em;color:#222}code{background:#f2f2f2;padding:.1em .3em;border-radius:3px}li{margin:.2em 0}</style></head><body><h1>${esc(title)}</h1>${body}<p><small>AegisX Instances router</small></p></body></html>\n`,
  };
}

const code = (s: string) => `<code>${esc(s)}</code>`;

/**
 * May a request with this Host see the running instances? Only a `.localhost` name or a loopback address:
 * a page on another name (DNS rebinding, `Host: evil.com`) would read instance, branch and repository names.
 */
export function listsInstances(header: string | undefined): boolean {
  const host = hostOf(header).replace(/^\[(.*)\](:\d+)?$/, '$1');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

/** `undefined`: no listing at all (the request's Host may not see it). */
function listing(running: readonly ListedInstance[] | undefined): string {
  if (!running) return '';
  if (!running.length) return '<p>No instance is running. Start one with <code>axi up NAME</code>.</p>';
  const items = running.map(
    (i) => `<li>${esc(i.label)}: ${i.urls.map((u) => `<a href="${esc(u)}">${esc(u)}</a>`).join(', ')}</li>`,
  );
  return `<p>Running instances:</p><ul>${items.join('')}</ul>`;
}

/** A typo of a running instance's name: its URLs whose name is a third of the first label's length apart, at most. */
function didYouMean(host: string, running: readonly ListedInstance[] | undefined): string {
  if (!host || !running) return '';
  const limit = Math.max(1, Math.floor(host.split('.')[0]!.length / 3));
  const close = running
    .flatMap((i) => i.urls)
    .map((url) => ({ url, d: editDistance(host, new URL(url).hostname) }))
    .filter(({ d }) => d > 0 && d <= limit)
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(({ url }) => `<a href="${esc(url)}">${esc(new URL(url).hostname)}</a>`);
  return close.length ? `<p>Did you mean ${close.join(' or ')}?</p>` : '';
}

/** A container's state as a user reads it: `exited` is stopped, `created` was never started. */
const stateWord = (state: string) =>
  state === 'exited' ? 'stopped' : state === 'created' ? 'created but not started' : state.replace('-', ' ');

const busyNote = (busy: string | null | undefined) =>
  busy ? ` Its ${esc(busy)} is in progress: reload when it has finished.` : '';

/** The page for a decision that is not a proxy. */
export function decisionPage(
  d: Exclude<RouteDecision, { kind: 'proxy' }>,
  running: readonly ListedInstance[] | undefined,
): Page {
  switch (d.kind) {
    case 'unknown':
      return page(
        404,
        d.host ? `No instance is named ${d.host}` : 'No instance name in this request',
        `${didYouMean(d.host, running)}<p>The router sends a name only to the instance it names, never to another.</p>${listing(running)}`,
      );
    case 'clash':
      return page(
        409,
        `${d.host} is the name of more than one instance`,
        `<p>${d.ids.map(code).join(' and ')} would both be ${code(d.host)}, so it goes to neither. Rename one (<code>axi setup DIR --name OTHER</code>), or use its port URL.</p>`,
      );
    case 'stopped':
      return page(
        503,
        `${d.instance.label} is not running`,
        `<p>${code(d.route.host)} is ${esc(d.instance.label)} (${esc(d.instance.status)}). Start it with ${code(d.start)}, or with Start on its card, then reload.</p>`,
      );
    case 'service-down':
      return page(
        503,
        `${d.service} of ${d.instance.label} is not running`,
        `<p>${code(d.route.host)} goes to ${esc(d.instance.label)}'s ${code(d.service)} service, which is ${esc(stateWord(d.state))} (${esc(d.instance.label)} is ${esc(d.instance.status)}). Start it with ${code(d.start)}, or with Start on its card, then reload.${busyNote(d.instance.busy)}</p>`,
      );
    case 'tunnel':
      return page(
        502,
        `${d.instance.label} runs on ${d.instance.engine}: its tunnel is not open`,
        `<p>Open it with ${code(d.open)} (until Ctrl-C), or keep it open with ${code(`${d.open} --keep on`)} while the app or <code>axi serve</code> runs, then reload.</p>`,
      );
    case 'no-port':
      return page(
        404,
        `${d.instance.label} has no web port`,
        `<p>None of its published ports is an HTTP one. Name the service in its repository's <code>.aegisx-instances.yml</code>: <code>router: { web: SERVICE }</code>.</p>${listing(running)}`,
      );
  }
}

/**
 * The service is running but its port failed the request: did not answer (still starting, or listening
 * elsewhere), or answered with something the router cannot parse (an HPE_ parser error: that is no start-up).
 */
export function upstreamPage(label: string, host: string, target: string, err: Error & { code?: string }): Page {
  if (err.code?.startsWith('HPE_'))
    return page(
      502,
      `${label} answered on ${target} with a response the router could not read`,
      `<p>${code(host)} goes to ${esc(target)}, which answered with a response the router could not read: ${esc(err.message)}. See <code>axi logs ${esc(label)}</code>, or open its port URL.</p>`,
    );
  return page(
    502,
    `${label} did not answer on ${target}`,
    `<p>${code(host)} goes to ${esc(target)}, which said: ${esc(err.message)}. It may still be starting: reload in a moment, or see <code>axi logs ${esc(label)}</code>.</p>`,
  );
}
