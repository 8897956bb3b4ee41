// The selected card's properties, as a form generated from the topology schema.

import type { CardRef, JsonObject } from "../model/types";
import type { Diagnostic } from "../engine/types";
import type { Schema } from "./schema";
import { DEFINITION_OF } from "./schema";
import { ObjectFields } from "./SchemaForm";
import { kindNoun } from "../model/connections";
import { cardPointer } from "../model/pointer";

/** Nested resources have their own cards, so their parent's form leaves them out. */
const HIDDEN: Record<string, string[]> = {
  rest_apis: ["routes"],
  http_apis: ["routes"],
  load_balancers: ["listeners"],
};

function refLabel(ref: CardRef): string {
  switch (ref.kind) {
    case "routes":
      return `${ref.key} (route of ${ref.apiId})`;
    case "listeners":
      return `listener #${ref.index + 1} of ${ref.lb}`;
    default:
      return ref.id;
  }
}

export function Inspector(props: {
  selected: CardRef | null;
  value: JsonObject | undefined;
  schema: Schema | null;
  diagnostics: Diagnostic[];
  onChange: (v: JsonObject) => void;
  onDelete: () => void;
}) {
  const { selected, value, schema } = props;
  if (!selected || !value) {
    return (
      <aside className="inspector" data-testid="inspector">
        <h2>Inspector</h2>
        <p className="muted">Select a card to edit it. Drag kinds from the palette onto the canvas; connect cards by dragging from one handle to another.</p>
      </aside>
    );
  }
  const def = schema?.$defs?.[DEFINITION_OF[selected.kind] ?? ""];
  return (
    <aside className="inspector" data-testid="inspector">
      <h2>
        <span className="kind-tag">{kindNoun(selected.kind)}</span> <span data-testid="inspector-id">{refLabel(selected)}</span>
      </h2>
      {props.diagnostics.length > 0 && (
        <ul className="inspector-findings">
          {props.diagnostics.map((d, i) => (
            <li key={i} className={`sev-${d.severity}`}>
              <b>{d.code}</b> {d.title}
            </li>
          ))}
        </ul>
      )}
      {def && schema ? (
        <form key={cardPointer(selected)} onSubmit={(e) => e.preventDefault()} data-testid="inspector-form">
          <ObjectFields schema={def} root={schema} value={value} path={cardPointer(selected)} hidden={HIDDEN[selected.kind]} onChange={props.onChange} />
        </form>
      ) : (
        <p className="muted">Loading the schema…</p>
      )}
      <button type="button" className="danger" onClick={props.onDelete} data-testid="inspector-delete">
        Delete {kindNoun(selected.kind)}
      </button>
    </aside>
  );
}
