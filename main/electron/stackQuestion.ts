import type { StackPreviewView } from '../shared/api/table';

export type StackAnswer = 'compose' | 'aegisx' | null;

/** A native question: its text, buttons, and the answer each button stands for (by index). */
export interface StackQuestion {
  message: string;
  detail: string;
  buttons: string[];
  answers: StackAnswer[];
  defaultId: number;
  cancelId: number;
}

/**
 * The tray's "Add repository…" on a folder where both stacks are plausible: the same two ways out as the window's
 * add field (its own compose file, or the AegisX stack), and Cancel, which registers nothing (pure).
 */
export function stackQuestion(p: StackPreviewView): StackQuestion {
  const files = p.composeFiles.join(' + ');
  const services = p.services.length ? ` (${p.services.join(', ')})` : '';
  return {
    message: `Which stack should ${p.folder} run?`,
    detail: `${p.text}\n\nIts own ${files} runs the project's services${services}; the AegisX stack runs Postgres, Redis and pgAdmin for the AegisX starter.`,
    buttons: [`Its own ${files}`, 'The AegisX stack', 'Cancel'],
    answers: ['compose', 'aegisx', null],
    defaultId: 0,
    cancelId: 2,
  };
}
