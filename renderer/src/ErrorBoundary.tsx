import { Component, Fragment, type ReactNode } from 'react';

interface Props {
  /** Names what failed, in the heading: "The logs panel failed". */
  what: string;
  /** A panel's boundary: Reload renders the panel again and Close removes it. Without it, Reload reloads the page. */
  onClose?: () => void;
  children: ReactNode;
}

/**
 * Shows a failing component's error in its place, instead of React unmounting the whole window.
 * Around the app it replaces the app; around a panel it replaces only that panel.
 */
export class ErrorBoundary extends Component<Props, { error: Error | null; attempt: number }> {
  state = { error: null as Error | null, attempt: 0 };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  // No componentDidCatch: React already logs a caught error to the console.

  render() {
    const { error, attempt } = this.state;
    // A new key after Reload: the children start afresh rather than from the state that failed.
    if (!error) return <Fragment key={attempt}>{this.props.children}</Fragment>;
    const { what, onClose } = this.props;
    const panel = Boolean(onClose);
    return (
      <section className={`crashed${panel ? ' crashed-panel' : ''}`} role="alert">
        <h2>{what} failed</h2>
        <p className="error">{error.message || String(error)}</p>
        <div className="crashed-actions">
          <button
            type="button"
            // What had focus is gone with the failed part: Reload takes it.
            autoFocus
            onClick={() =>
              panel ? this.setState((s) => ({ error: null, attempt: s.attempt + 1 })) : window.location.reload()
            }
          >
            Reload
          </button>
          {onClose && (
            <button type="button" onClick={onClose}>
              Close
            </button>
          )}
        </div>
      </section>
    );
  }
}
