/** A compose file read as data: its services, volumes and networks, and whatever else it holds. */

export type Doc = {
  services: Record<string, Record<string, unknown>>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
  [k: string]: unknown;
};
