/** The `worktrees:` policy's schema. No Node imports: the API table (which the renderer compiles) uses it too. */
import * as v from 'valibot';

/** What happens when a worktree of the repository is added or removed (the app, `axi serve`, `axi watch`, the git hook). */
export const WorktreePolicySchema = v.strictObject({
  /** auto: register new worktrees; ask: offer them (a notification); off: leave them alone. */
  register: v.optional(v.picklist(['auto', 'ask', 'off']), 'ask'),
  /** Start a worktree's instance once it is registered. */
  start: v.optional(v.boolean(), false),
  /** Copy the main checkout's data into a new worktree's instance. */
  dataFrom: v.optional(v.picklist(['main', 'none']), 'none'),
  /** When a worktree is removed with git: keep its instance, or remove its containers and volumes (after a snapshot). */
  onRemove: v.optional(v.picklist(['keep', 'snapshot-and-remove', 'remove']), 'keep'),
});
export type WorktreePolicy = v.InferOutput<typeof WorktreePolicySchema>;
