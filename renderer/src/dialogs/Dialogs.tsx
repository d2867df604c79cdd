import type { InstanceView } from '../../../main/shared/api/table';
import { CopyDataDialog } from './CopyDataDialog';
import { ErrorBoundary } from '../ErrorBoundary';
import { PolicyDialog } from './PolicyDialog';
import { ResetDialog } from './ResetDialog';
import { SettingsPanel } from '../top/SettingsPanel';
import { SnapshotsDialog } from './SnapshotsDialog';

export interface OpenDialog {
  kind: 'reset' | 'snapshots' | 'copy' | 'policy';
  id: string;
}

/** The one instance dialog open, shown with the instance's current view (it follows the engine while open). */
function InstanceDialog(p: { dialog: OpenDialog | null; instances: InstanceView[]; onClose: () => void }) {
  const i = p.dialog && p.instances.find((x) => x.id === p.dialog!.id);
  if (!p.dialog || !i) return null;
  switch (p.dialog.kind) {
    case 'reset':
      return <ResetDialog instance={i} onClose={p.onClose} />;
    case 'snapshots':
      return <SnapshotsDialog instance={i} onClose={p.onClose} />;
    case 'copy':
      return <CopyDataDialog instance={i} onClose={p.onClose} />;
    case 'policy':
      return <PolicyDialog instance={i} onClose={p.onClose} />;
  }
}

function Settings({ onClose }: { onClose: () => void }) {
  return (
    <ErrorBoundary what="The settings panel" onClose={onClose}>
      <SettingsPanel onClose={onClose} />
    </ErrorBoundary>
  );
}

export const Dialogs = { Instance: InstanceDialog, Settings };
