import { useCallback, useState } from 'react';
import type { AddResult } from './AddFolder';
import { api } from './bridge';

/** Registers folders one by one; each gets a result line. Resolves true when all were registered. */
export function useRegister(addResult: (r: Omit<AddResult, 'id'>) => void, show: (id: string) => void) {
  const [fresh, setFresh] = useState<string | null>(null);
  const register = useCallback(
    async (dirs: string[], dataFrom?: 'main') => {
      let all = true;
      for (const dir of dirs) {
        try {
          const r = await api.registerFolder({ dir, ...(dataFrom ? { dataFrom } : {}) });
          const ports = Object.entries(r.instance.ports)
            .map(([s, p]) => `${s} ${p}`)
            .join(', ');
          const files = Object.entries(r.written)
            .map(([f, what]) => `${f.split('/').pop()} ${what}`)
            .join(', ');
          const text = r.existing
            ? `Already registered as ${r.instance.label}: ${ports}.`
            : `Registered ${r.instance.label}: ${ports}. ${files}.`;
          addResult({ dir, ok: true, text, worktrees: r.otherWorktrees });
          setFresh(r.existing ? null : r.instance.id);
          show(r.instance.id);
        } catch (err) {
          all = false;
          addResult({ dir, ok: false, text: (err as Error).message });
        }
      }
      return all;
    },
    [addResult, show],
  );
  return { register, fresh };
}
