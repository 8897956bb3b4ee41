// Importing a CloudFormation/SAM template or a Terraform configuration: files, a folder, or
// pasted text. Everything is read in the browser.

import { useRef, useState } from "react";
import { fromFiles, fromText, isTerraformSource, isTerraformWorkDir, type ChosenFile, type ImportFormat, type ImportRequest } from "../io/importSource";

/** The chosen folder's name and each file's path below it (`webkitRelativePath` starts with the folder). */
function belowFolder(file: File): { folder: string; path: string } {
  const [folder = "", ...rest] = file.webkitRelativePath.split("/");
  return { folder, path: rest.join("/") };
}

async function readFiles(list: FileList | null, asFolder: boolean): Promise<ImportRequest | string> {
  const files = Array.from(list ?? []);
  if (!asFolder) return fromFiles(await Promise.all(files.map(async (f) => ({ path: f.name, text: await f.text() }))));
  // A folder holds more than its source (.terraform/ keeps provider binaries): read only
  // what the importer reads.
  let folder: string | undefined;
  const chosen: ChosenFile[] = [];
  for (const f of files) {
    const at = belowFolder(f);
    folder ??= at.folder;
    if (isTerraformSource(at.path) && !isTerraformWorkDir(at.path)) chosen.push({ path: at.path, text: await f.text() });
  }
  return fromFiles(chosen, folder ?? "The folder");
}

function describe(r: ImportRequest): string {
  if (r.format === "cloudformation") return `CloudFormation template ${r.label}`;
  if (typeof r.source === "string") return `Terraform plan or state JSON ${r.label}`;
  const names = Object.keys(r.source);
  return `Terraform configuration ${r.label}: ${names.join(", ")}`;
}

export function ImportDialog(props: { onImport: (request: ImportRequest) => Promise<string | null>; onClose: () => void }) {
  const [text, setText] = useState("");
  const [format, setFormat] = useState<ImportFormat | "detect">("detect");
  const [chosen, setChosen] = useState<ImportRequest | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const choose = async (list: FileList | null, asFolder: boolean) => {
    setError(null);
    const r = await readFiles(list, asFolder);
    if (typeof r === "string") {
      setChosen(null);
      setError(r);
      return;
    }
    setChosen(r);
    setText("");
    (asFolder ? fileInput : folderInput).current?.form?.reset();
  };

  const request = chosen ?? (text.trim() === "" ? null : fromText(text, format));
  return (
    <div className="dialog" role="dialog" aria-label="Import a template or a Terraform configuration" data-testid="import-dialog">
      <h2>Import a template or a Terraform configuration</h2>
      <form onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span className="field-label">Files</span>
          <input
            ref={fileInput}
            type="file"
            multiple
            accept=".yaml,.yml,.json,.template,.tf,.tfvars"
            data-testid="import-file"
            onChange={(e) => void choose(e.target.files, false)}
          />
        </label>
      </form>
      <form onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span className="field-label">Terraform folder</span>
          <input
            ref={folderInput}
            type="file"
            {...{ webkitdirectory: "" }}
            data-testid="import-folder"
            onChange={(e) => void choose(e.target.files, true)}
          />
        </label>
      </form>
      {chosen && (
        <p className="import-chosen" data-testid="import-chosen">
          {describe(chosen)}
        </p>
      )}
      <textarea
        data-testid="import-text"
        rows={14}
        placeholder="…or paste a template (YAML or JSON), Terraform HCL, or the JSON of `terraform show -json` here"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setChosen(null);
        }}
      />
      <label className="field">
        <span className="field-label">Pasted text is</span>
        <select data-testid="import-format" value={format} onChange={(e) => setFormat(e.target.value as ImportFormat | "detect")}>
          <option value="detect">detected from its content</option>
          <option value="cloudformation">a CloudFormation or SAM template</option>
          <option value="terraform">Terraform (HCL or `terraform show -json`)</option>
        </select>
      </label>
      {error && <p className="sev-error" data-testid="import-error">{error}</p>}
      <div className="dialog-buttons">
        <button
          type="button"
          data-testid="import-go"
          disabled={busy || request === null}
          onClick={async () => {
            if (!request) return;
            setBusy(true);
            const err = await props.onImport(request);
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
