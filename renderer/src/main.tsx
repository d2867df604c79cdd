import { createRoot } from 'react-dom/client';
import type { Overview } from '../../main/shared/api/table';
import { App } from './App';
import { api } from './bridge';
import { ErrorBoundary } from './ErrorBoundary';
import './styles.css';

// Ask for the overview before React starts and render once with it: one commit and one layout, not two.
const root = createRoot(document.getElementById('root')!);
const show = (overview: Overview | undefined) =>
  root.render(
    <ErrorBoundary what="The dashboard">
      <App initial={overview} />
    </ErrorBoundary>,
  );
api.getOverview().then(show, () => show(undefined));
