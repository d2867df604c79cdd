import type { Ports } from '../../core/project/preset';

/**
 * A folder's stack that Compose runs from its `docker-compose.instance.yml` under another project than the
 * folder's registration (the seed's `docker-compose up`, or no registration at all), or whose containers the seed's
 * `docker:down` removed, its volumes kept (no containers then): what adoption takes over.
 */
export interface StrayStack {
  readonly folder: string;
  readonly project: string;
  readonly containers: readonly { id: string; name: string; service: string; running: boolean }[];
  /** Named volumes its containers mount, by service. */
  readonly volumes: Record<string, string>;
  /** The host ports its containers publish (or would, stopped), by service. */
  readonly ports: Ports;
  /** The instance names axi's labels on its containers give (none for the seed's own). */
  readonly instances: readonly string[];
  /** Another registry's, folder's or user's object among them: adoption is refused. */
  readonly foreign?: { what: string; owner: string; fix: string };
}
