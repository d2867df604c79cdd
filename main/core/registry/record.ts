/** One registration as the registry file stores it: its schema, checked on every read. */
import * as v from 'valibot';

// valibot rather than zod: same declarative schemas, a tenth of the load time, and the CLI's start-up is a budget.
const nonEmpty = v.pipe(v.string(), v.minLength(1));
export const InstanceRecordSchema = v.object({
  name: nonEmpty,
  folder: nonEmpty,
  folderName: v.string(),
  suffix: v.string(),
  main: v.boolean(),
  project: nonEmpty,
  preset: nonEmpty,
  slot: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))),
  ports: v.record(v.string(), v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535))),
  /** Port ranges: key → the block's length (its first port is in `ports`). */
  spans: v.optional(v.record(v.string(), v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(65535)))),
  /**
   * Published ports' protocols other than TCP alone: key → `udp` (shown as `media 50100-50200/udp`), or `tcp+udp`
   * for one published over both (shown as `turn 3577/tcp+udp`; probed over both). Any string, so older files read.
   */
  protocols: v.optional(v.record(v.string(), v.string())),
  template: v.nullable(v.string()),
  /** Services the instance file defines (for status: a service without a container is not running). */
  services: v.optional(v.array(v.string())),
  /** Named volumes of the instance (what reset snapshots and empties). */
  volumes: v.optional(v.array(v.string())),
  /** Volumes taken over by adoption under their own names (the seed's `<project>_auth_postgres_data`), by service. */
  volumeNames: v.optional(v.record(v.string(), nonEmpty)),
  /** The project's compose file(s) the instance file is made from, relative to the folder. */
  from: v.optional(v.nullable(v.array(v.string()))),
  source: v.optional(v.picklist(['aegisx', 'template', 'compose'])),
  /** The repository's base name (main worktree's folder, origin's name, or the seed's rule). */
  base: v.optional(v.string()),
  /** The stack's container-name prefix (a `--from` stack's own, e.g. `shop`). */
  prefix: v.optional(v.string()),
  /** Host address its ports are published on (127.0.0.1 unless asked). */
  bind: v.optional(v.string()),
  /**
   * The Docker engine it lives on: a context name or a DOCKER_HOST value (`tcp://…`, `ssh://…`). Absent or
   * null: the local engine (whatever the settings, DOCKER_HOST or the current context choose).
   */
  engine: v.optional(v.nullable(v.string())),
  /** On a remote engine: the local user's name, which its Docker names carry (`aegisx_<owner>_<name>_postgres`). */
  owner: v.optional(v.string()),
  /** The port-registry line axi last wrote for it: the one line of that file it may rewrite or remove. */
  mirrorLine: v.optional(v.string()),
  createdAt: v.string(),
  updatedAt: v.string(),
});
export type InstanceRecord = v.InferOutput<typeof InstanceRecordSchema>;
