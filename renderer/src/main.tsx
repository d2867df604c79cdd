import { createRoot } from 'react-dom/client';
import type { Overview } from '../../main/api/table';
import { App } from './App';
import { api } from './bridge';
import './styles.css';

// Ask for the overview before React starts and render once with it: one commit and one layout, not two.
const root = createRoot(document.getElementById('root')!);
api.getOverview().then(
  (overview: Overview) => root.render(<App initial={overview} />),
  () => root.render(<App initial={undefined} />),
);
