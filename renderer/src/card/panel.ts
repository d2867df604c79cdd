/** What a card opens: a dialog, or the logs pane. */
export type Panel = 'reset' | 'snapshots' | 'copy' | 'policy' | 'logs';
