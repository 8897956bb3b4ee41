// The kinds of resource, dragged onto the canvas (HTML drag and drop).

import { PALETTE } from "../model/create";

export const DRAG_TYPE = "application/x-vpclink-kind";

export function Palette() {
  return (
    <nav className="palette" data-testid="palette" aria-label="Palette">
      <h2>Palette</h2>
      {PALETTE.map((p) => (
        <div
          key={p.kind}
          className={`palette-item kind-${p.kind}`}
          draggable
          data-kind={p.kind}
          data-testid={`palette-${p.kind}`}
          onDragStart={(e) => {
            e.dataTransfer.setData(DRAG_TYPE, p.kind);
            e.dataTransfer.effectAllowed = "copy";
          }}
        >
          {p.label}
        </div>
      ))}
      <p className="muted small">Drop instances into a subnet; routes on an API; listeners on an NLB.</p>
    </nav>
  );
}
