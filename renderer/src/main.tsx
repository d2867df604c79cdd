import { createRoot } from 'react-dom/client';
import type { Overview } from '../../main/shared/api/table';
import { App } from './App';
import { api, isDesktop } from './bridge';
import { ErrorBoundary } from './ErrorBoundary';
import { NeedsLink } from './NeedsLink';
import { heldKey, onKeyRefused } from './serveKey';
import './styles.css';

// Ask for the overview before React starts and render once with it: one commit and one layout, not two.
const root = createRoot(document.getElementById('root')!);
let locked = false;
const show = (overview: Overview | undefined) => {
  if (locked) return;
  root.render(
    <ErrorBoundary what="The dashboard">
      <App initial={overview} />
    </ErrorBoundary>,
  );
};
// `axi serve` refused this tab's key (or it has none): say how to get the link, now or whenever it happens.
if (!isDesktop)
  onKeyRefused(() => {
    locked = true;
    root.render(<NeedsLink hadKey={heldKey()} />);
  });
api.getOverview().then(show, () => show(undefined));
