// File, edit and view commands.

import { useRef } from "react";

export function Toolbar(props: {
  canUndo: boolean;
  canRedo: boolean;
  canDelete: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onNew: () => void;
  onExample: () => void;
  onOpen: (text: string, file: string) => void;
  onSave: () => void;
  onImport: () => void;
  onExport: () => void;
  onLayout: () => void;
  onDelete: () => void;
}) {
  const file = useRef<HTMLInputElement>(null);
  return (
    <header className="toolbar">
      <h1>vpclink designer</h1>
      <button type="button" onClick={props.onNew}>
        New
      </button>
      <button type="button" onClick={props.onExample} data-testid="load-example">
        Example
      </button>
      <button type="button" onClick={() => file.current?.click()} data-testid="open-json">
        Open JSON…
      </button>
      <input
        ref={file}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="open-json-file"
        onChange={async (e) => {
          const f = e.target.files?.[0];
          if (f) props.onOpen(await f.text(), f.name);
          e.target.value = "";
        }}
      />
      <button type="button" onClick={props.onSave} data-testid="save-json">
        Save JSON
      </button>
      <button type="button" onClick={props.onImport} data-testid="import-template" title="Import a CloudFormation/SAM template or a Terraform configuration">
        Import…
      </button>
      <button type="button" onClick={props.onExport} data-testid="export">
        Export…
      </button>
      <span className="sep" />
      <button type="button" onClick={props.onUndo} disabled={!props.canUndo} title="Undo (Ctrl+Z)" data-testid="undo">
        Undo
      </button>
      <button type="button" onClick={props.onRedo} disabled={!props.canRedo} title="Redo (Ctrl+Shift+Z)" data-testid="redo">
        Redo
      </button>
      <button type="button" onClick={props.onDelete} disabled={!props.canDelete} title="Delete (Del)">
        Delete
      </button>
      <button type="button" onClick={props.onLayout} title="Auto-layout and zoom to fit (L)" data-testid="layout">
        Auto-layout
      </button>
    </header>
  );
}
