// Exports, shown as text (never rendered as HTML), to download or copy.

import { useEffect, useState } from "react";
import { copy, download, EXPORTS, type ExportFormat } from "../io/files";

export function ExportDialog(props: { render: (format: ExportFormat) => Promise<string>; onClose: () => void }) {
  const [format, setFormat] = useState<ExportFormat>("cloudformation");
  const [text, setText] = useState<string>("");
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string>("");
  useEffect(() => {
    let live = true;
    setText("");
    setError(null);
    props.render(format).then(
      (t) => live && setText(t),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [format, props.render]);
  const meta = EXPORTS.find((e) => e.format === format) ?? EXPORTS[0];
  return (
    <div className="dialog wide" role="dialog" aria-label="Export" data-testid="export-dialog">
      <h2>Export</h2>
      <label className="field">
        <span className="field-label">Format</span>
        <select data-testid="export-format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
          {EXPORTS.map((e) => (
            <option key={e.format} value={e.format}>
              {e.label}
            </option>
          ))}
        </select>
      </label>
      {error ? (
        <p className="sev-error" data-testid="export-error">
          {error}
        </p>
      ) : (
        <pre className="export-text" data-testid="export-text" data-ready={text !== "" ? "yes" : "no"}>
          {text || "Rendering…"}
        </pre>
      )}
      <div className="dialog-buttons">
        <button type="button" data-testid="export-download" disabled={!text} onClick={() => download(text, meta.file, meta.mime)}>
          Download {meta.file}
        </button>
        <button
          type="button"
          disabled={!text}
          onClick={async () => setNote((await copy(text)) ? "Copied." : "The browser refused the clipboard; select the text instead.")}
        >
          Copy
        </button>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
        <span className="muted">{note}</span>
      </div>
    </div>
  );
}
