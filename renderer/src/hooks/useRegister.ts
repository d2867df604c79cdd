import { useCallback, useState } from 'react';
import { inWindowWords } from '../../../main/shared/display/instanceDisplay';
import type { AddResult } from '../top/AddFolder';
import { SEED_INSTANCE } from '../../../main/shared/schemas/seedFiles';
import { api, ApiFailure } from '../bridge';

export interface RegisterOptions {
  /** Then copy the main checkout's data into each new instance. */
  dataFrom?: 'main';
  /** Take over the stack the team's scripts made there, its ports and data kept (`axi adopt`). */
  adopt?: boolean;
  /** Take other free ports where the usual ones are taken (`axi setup --reassign`). */
  reassign?: boolean;
  /** A folder with its own compose file: use it, or the AegisX stack. */
  stack?: 'compose' | 'aegisx';
}

export type RegisterFolders = (dirs: string[], opts?: RegisterOptions) => void;

/** Registers folders one by one; each gets a result line. Resolves true when all were registered. */
export function useRegister(addResult: (r: Omit<AddResult, 'id'>) => void, show: (id: string) => void) {
  const [fresh, setFresh] = useState<string | null>(null);
  const register = useCallback(
    async (dirs: string[], opts: RegisterOptions = {}) => {
      let all = true;
      for (const dir of dirs) {
        try {
          const { adopt, ...rest } = opts;
          const r = adopt ? await api.adoptFolder({ dir }) : await api.registerFolder({ dir, ...rest });
          const ports = Object.entries(r.instance.ports)
            .map(([s, p]) => `${s} ${p}`)
            .join(', ');
          const files = Object.entries(r.written)
            .map(([f, what]) => `${f.split('/').pop()} ${what}`)
            .join(', ');
          const text = r.existing
            ? `Already registered as ${r.instance.label}: ${ports}.`
            : adopt
              ? `Adopted ${r.instance.label}: ${ports}, its volumes kept.`
              : `Registered ${r.instance.label}: ${ports}. ${files}. ${r.said}.`;
          const existing = r.existing ? { id: r.instance.id, label: r.instance.label } : undefined;
          addResult({ dir, folder: r.instance.folder, ok: true, text, worktrees: r.otherWorktrees, existing });
          setFresh(r.existing ? null : r.instance.id);
          // A new card is shown and focused; a repeat stays with its message, which offers Show.
          if (!r.existing) show(r.instance.id);
        } catch (err) {
          all = false;
          // Both bridges (IPC and HTTP) throw ApiFailure with the code main gave.
          const code = err instanceof ApiFailure ? err.code : 'INTERNAL';
          const portsTaken = code === 'PORT_CONFLICT' && !opts.reassign;
          // The seed's own instance: offered for adoption (its data stays), never overwritten.
          const adoptable = (err as Error).message.includes(SEED_INSTANCE) && !opts.adopt;
          const chooseStack = code === 'CHOOSE_STACK';
          addResult({
            dir,
            ok: false,
            text: inWindowWords((err as Error).message),
            portsTaken,
            adoptable,
            chooseStack,
            code,
          });
        }
      }
      return all;
    },
    [addResult, show],
  );
  return { register, fresh };
}
