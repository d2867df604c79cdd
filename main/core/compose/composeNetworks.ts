import { cksum } from '../util/cksum';
import { isMap, isList } from './yamlValues';
import type { Doc } from './doc';

const BRIDGE_NAME = 'com.docker.network.bridge.name';

const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
const IPV4_CIDR = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/;

/**
 * A fixed IPv4 subnet's counterpart for one instance: the same size, inside 10.128.0.0/10, chosen
 * from the project and network names (the same every time). Only /16 to /30 are moved.
 */
export function instanceSubnet(
  subnet: string,
  seed: string,
): { from: number; to: number; size: number; cidr: string } | undefined {
  const m = IPV4_CIDR.exec(subnet);
  if (!m) return undefined;
  const bits = Number(m[2]);
  if (bits < 16 || bits > 30) return undefined;
  const size = 2 ** (32 - bits);
  const slots = 2 ** (22 - 32 + bits); // how many such subnets fit in the /10
  const base = toInt('10.128.0.0') + (cksum(seed) % slots) * size;
  const from = toInt(m[1]!) - (toInt(m[1]!) % size);
  return { from, to: base, size, cidr: `${toIp(base)}/${bits}` };
}

/**
 * Fixed subnets, static addresses and bridge names made per instance: a second instance's network
 * could not be created with the main's `172.22.1.0/24` or `br-mailcow`. IPv4 subnets move to their own
 * range with static addresses, gateways and ranges rewritten inside it; bridge names and subnets that
 * cannot be moved are dropped. Each change is returned as a note for the setup output.
 */
export function remapNetworks(doc: Doc, project: string): string[] {
  const notes: string[] = [];
  const moved = new Map<string, { from: number; to: number; size: number }>();
  for (const [key, net] of Object.entries(isMap(doc.networks) ? doc.networks : {})) {
    if (!isMap(net) || net.external) continue;
    if (isMap(net.driver_opts) && BRIDGE_NAME in net.driver_opts) {
      notes.push(
        `network ${key}: bridge name ${String(net.driver_opts[BRIDGE_NAME])} dropped (each instance needs its own)`,
      );
      const { [BRIDGE_NAME]: _dropped, ...rest } = net.driver_opts;
      net.driver_opts = rest;
    }
    const ipam = net.ipam;
    if (!isMap(ipam) || !isList(ipam.config)) continue;
    ipam.config = ipam.config.flatMap((c) => {
      if (!isMap(c) || typeof c.subnet !== 'string') return [c];
      const to = instanceSubnet(c.subnet, `${project}/${key}`);
      if (!to) {
        notes.push(`network ${key}: fixed subnet ${c.subnet} dropped (Docker picks one per instance)`);
        return [];
      }
      moved.set(key, to);
      notes.push(`network ${key}: subnet ${c.subnet} → ${to.cidr}`);
      const shift = (ip: unknown) => (typeof ip === 'string' ? moveAddress(ip, to) : ip);
      return [
        {
          ...c,
          subnet: to.cidr,
          ...(c.gateway ? { gateway: shift(c.gateway) } : {}),
          ...(typeof c.ip_range === 'string' ? { ip_range: moveCidr(c.ip_range, to) } : {}),
        },
      ];
    });
  }
  for (const def of Object.values(doc.services)) {
    if (!isMap(def?.networks)) continue;
    for (const [key, cfg] of Object.entries(def.networks)) {
      const to = moved.get(key);
      if (to && isMap(cfg) && typeof cfg.ipv4_address === 'string')
        cfg.ipv4_address = moveAddress(cfg.ipv4_address, to);
    }
  }
  return notes;
}

function moveAddress(ip: string, m: { from: number; to: number; size: number }): string {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return ip;
  const n = toInt(ip);
  return n >= m.from && n < m.from + m.size ? toIp(m.to + (n - m.from)) : ip;
}

function moveCidr(cidr: string, m: { from: number; to: number; size: number }): string {
  const [ip, bits] = cidr.split('/');
  return bits ? `${moveAddress(ip!, m)}/${bits}` : moveAddress(cidr, m);
}
