/**
 * What the window shows when a compose file reaches the host and no person has accepted it: the API
 * table's result type for `hostAccess` and `trustHostAccess`. No Node imports: the renderer compiles it.
 */

/** One way a container reaches the host beyond its checkout: `service: key value` (see core/hostReach). */
export interface HostReachView {
  /** The service, or `volume NAME`, `secret NAME`, `config NAME` for top-level definitions. */
  service: string;
  key: string;
  value: string;
}

export interface HostAccessView {
  /** The instance's id. */
  id: string;
  label: string;
  /** The compose file read (the instance file, else the folder's own). */
  file: string;
  items: HostReachView[];
  /** A hash of `items`: the dialog hands it back, so what is accepted is what the person read. */
  hash: string;
  /** Accepted already (nothing to ask). */
  accepted: boolean;
  /**
   * The repository's committed `worktrees:` policy, when it acts on its own and is not accepted yet: "always"
   * accepts it too, as `axi trust` does ("register auto, start, dataFrom main"). Null otherwise.
   */
  policy: string | null;
  /** The repository (its main checkout) the policy is of. */
  repository: string;
}
