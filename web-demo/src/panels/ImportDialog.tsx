// Importing a CloudFormation/SAM template, from a file or pasted text.

import { useState } from "react";

export function ImportDialog(props: { onImport: (text: string, file?: string) => Promise<string | null>; onClose: () => void }) {
  const [text, setText] = useState("");
  const [file, setFile] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="dialog" role="dialog" aria-label="Import a CloudFormation template" data-testid="import-dialog">
      <h2>Import a CloudFormation template</h2>
      <label className="field">
        <span className="field-label">File</span>
        <input
          type="file"
          accept=".yaml,.yml,.json,.template"
          data-testid="import-file"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            setFile(f.name);
            setText(await f.text());
          }}
        />
      </label>
      <textarea
        data-testid="import-text"
        rows={14}
        placeholder="…or paste the template (YAML or JSON) here"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {error && <p className="sev-error" data-testid="import-error">{error}</p>}
      <div className="dialog-buttons">
        <button
          type="button"
          data-testid="import-go"
          disabled={busy || text.trim() === ""}
          onClick={async () => {
            setBusy(true);
            const err = await props.onImport(text, file);
            setBusy(false);
            if (err) setError(err);
            else props.onClose();
          }}
        >
          Import and lay out
        </button>
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}
