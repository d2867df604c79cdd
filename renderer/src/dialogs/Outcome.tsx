/** What an operation says in its dialog or card: its latest step while it runs, its result, its failure. */
export function Outcome(props: { progress?: string; status?: string; error?: string }) {
  return (
    <>
      {props.progress && (
        <p className="progress" aria-live="polite">
          {props.progress}
        </p>
      )}
      {props.status && (
        <p className="note" role="status">
          {props.status}
        </p>
      )}
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
    </>
  );
}
