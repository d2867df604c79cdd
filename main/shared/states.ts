/**
 * The state words shared by the Docker layer, the API table and the renderer, and the one rule for whether a
 * service counts as up (no imports, so the renderer can use them).
 */
export type Health = 'healthy' | 'unhealthy' | 'starting' | 'none';
/** `asleep`: stopped by idle sleep (see core/instances/idle.ts), woken by the first request; never shown as stopped. */
export type InstanceState = 'running' | 'partial' | 'stopped' | 'asleep' | 'not-created' | 'unknown';
export type EngineState = 'connecting' | 'connected' | 'unknown';

/** A remote engine that has instances, as the overview shows it: its registration value, its label, its state. */
export interface EngineView {
  id: string;
  label: string;
  state: EngineState;
}

/** Whether a service is up: running, or paused by our own data copy (it runs again when the copy ends). */
export function serviceUp(state: string, copyPause?: 'paused' | 'recovering'): boolean {
  return state === 'running' || (copyPause === 'paused' && state === 'paused');
}
