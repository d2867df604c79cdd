import { useCallback, useState } from 'react';
import { api } from '../bridge';

/**
 * The steps of a dialog's operation on one instance, as main says them ("step 2/4: taking a snapshot…",
 * "waiting for postgres to be healthy"). `follow()` at the operation's start returns what ends it.
 */
export function useSteps(id: string): [line: string, follow: () => () => void] {
  const [line, setLine] = useState('');
  const follow = useCallback(() => {
    const off = api.on('progress', (p) => p.instance === id && setLine(p.line));
    return () => {
      off();
      setLine('');
    };
  }, [id]);
  return [line, follow];
}
