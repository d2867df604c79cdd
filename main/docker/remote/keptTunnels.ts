import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { atomicWrite } from '../../core/registry/atomicWrite';
import { lockShared } from '../../core/registry/fileLock';
import { instanceId } from '../../core/registry/instanceRef';
import type { Backend } from '../lifecycle/backend';
import { engineHost } from '../engine/engines';
import { openTunnel } from './sshTunnel';
import { assertLocalPortsFree, planTunnel, type TunnelPlan } from './tunnel';
import { TunnelKeeper, type KeptTunnel } from './tunnelKeeper';

/**
 * The per-instance toggle "keep a tunnel open" ($AXI_HOME/tunnels.json: instance id → false when turned off).
 * On by default for instances on SSH engines. Kept beside the registry, not in the app's settings, so the
 * desktop app, `axi serve` and `axi tunnel --keep` share it.
 */
const file = (home: string) => path.join(home, 'tunnels.json');

export function readTunnelToggles(home: string): Record<string, boolean> {
  try {
    const raw = JSON.parse(readFileSync(file(home), 'utf8')) as unknown;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
    return Object.fromEntries(Object.entries(raw).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'));
  } catch {
    return {}; // absent or unreadable: every toggle at its default (on)
  }
}

export async function setTunnelToggle(home: string, id: string, keep: boolean): Promise<void> {
  mkdirSync(home, { recursive: true });
  const release = await lockShared({ dir: home, lockPath: `${file(home)}.lock`, what: 'tunnel toggles' });
  try {
    const toggles = readTunnelToggles(home);
    if (keep) delete toggles[id];
    else toggles[id] = false;
    await atomicWrite(file(home), JSON.stringify(toggles, null, 2) + '\n');
  } finally {
    await release();
  }
}

/** Running instances on SSH engines whose toggle is on, each as the tunnel `axi tunnel` would open. */
export async function wantedTunnels(backend: Backend, env: NodeJS.ProcessEnv = process.env) {
  const toggles = readTunnelToggles(backend.service.paths.home);
  const plans: Extract<TunnelPlan, { kind: 'ssh' }>[] = [];
  for (const rec of await backend.service.records()) {
    if (!rec.engine || toggles[instanceId(rec)] === false) continue;
    const endpoint = (() => {
      try {
        return engineHost(rec.engine, env);
      } catch {
        return undefined; // a context that is gone: nothing to reach
      }
    })();
    if (!endpoint?.startsWith('ssh://')) continue;
    // Not running, or its engine does not answer: nothing to forward now; asked again next pass.
    const plan = await planTunnel(backend.lifecycle, instanceId(rec), (e) => engineHost(e, env)).catch(() => undefined);
    if (plan?.kind === 'ssh') plans.push(plan);
  }
  return plans;
}

/** The keeper the desktop app and `axi serve` run (AXI_TUNNEL_RECHECK_MS: how often it looks again). */
export function tunnelKeeper(backend: Backend, changed?: (t: KeptTunnel[]) => void): TunnelKeeper {
  return new TunnelKeeper({
    wanted: () => wantedTunnels(backend),
    open: async (plan) => {
      await assertLocalPortsFree(plan);
      return openTunnel(plan);
    },
    intervalMs: Number(process.env.AXI_TUNNEL_RECHECK_MS) || undefined,
    changed,
  });
}
