import { AxiError } from '../../shared/errors';

/** Deleting or replacing data takes the instance's name as confirmation: a stray or scripted call is refused. */
export function assertConfirmed(name: string, confirm: string, what: string): void {
  if (confirm !== name) {
    throw new AxiError(
      'BAD_INPUT',
      `${what} deletes the data of ${name}: pass confirm equal to the instance name (${JSON.stringify(name)}) to go ahead`,
    );
  }
}
