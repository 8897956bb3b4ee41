// Findings of the last check: code, severity, message and help as text. Errors and
// warnings are problems; infos are listed after them as notes. Clicking a finding selects
// its card; Fix applies the finding's JSON Patch as one undoable edit.

import type { Diagnostic, EngineError } from "../engine/types";

export function isProblem(d: Diagnostic): boolean {
  return d.severity === "error" || d.severity === "warning";
}

function Finding(props: { d: Diagnostic; onSelect: (d: Diagnostic) => void; onFix: (d: Diagnostic) => void }) {
  const { d } = props;
  return (
    <li className={`problem sev-${d.severity}`} data-code={d.code} data-severity={d.severity} data-testid="problem">
      <button type="button" className="problem-main" onClick={() => props.onSelect(d)} title={`Show ${d.path}`}>
        <span className={`sev sev-${d.severity}`}>{d.severity}</span> <b className="code">{d.code}</b> <span className="title">{d.title}</span>
        <span className="where">{d.resource ? `${d.resource.kind}/${d.resource.id}` : d.path}</span>
      </button>
      <div className="message">{d.message}</div>
      {d.help && <div className="help">{d.help}</div>}
      {d.fix && (
        <button type="button" className="fix" data-testid="fix" onClick={() => props.onFix(d)} title={d.fix.description}>
          Fix{d.fix.description ? `: ${d.fix.description}` : ""}
        </button>
      )}
    </li>
  );
}

export function ProblemsPanel(props: {
  diagnostics: Diagnostic[];
  error: { message: string; code?: string; path?: string } | EngineError | null;
  onSelect: (d: Diagnostic) => void;
  onFix: (d: Diagnostic) => void;
}) {
  const { diagnostics, error } = props;
  const problems = diagnostics.filter(isProblem);
  const notes = diagnostics.filter((d) => !isProblem(d));
  return (
    <div className="panel problems" data-testid="problems" data-problems={problems.length} data-notes={notes.length}>
      {error && (
        <div className="engine-error sev-error" data-testid="engine-error">
          <b>{error.code ?? "error"}</b> {error.message}
          {error.path ? ` (at ${error.path})` : ""}
        </div>
      )}
      {problems.length === 0 && !error && (
        <p className="muted" data-testid="no-problems">
          No problems found.
        </p>
      )}
      <ul>
        {problems.map((d, i) => (
          <Finding key={`${d.code}-${d.path}-${i}`} d={d} onSelect={props.onSelect} onFix={props.onFix} />
        ))}
      </ul>
      {notes.length > 0 && (
        <>
          <h3 className="notes-head">Notes</h3>
          <ul>
            {notes.map((d, i) => (
              <Finding key={`${d.code}-${d.path}-${i}`} d={d} onSelect={props.onSelect} onFix={props.onFix} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
