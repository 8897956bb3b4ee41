// The monthly estimate under editable traffic assumptions.

import type { CostEstimate, EngineError, Traffic } from "../engine/types";

const FIELDS: { key: keyof Traffic; label: string; step: number }[] = [
  { key: "requests_per_month", label: "Requests / month", step: 100000 },
  { key: "request_bytes", label: "Request bytes", step: 256 },
  { key: "response_bytes", label: "Response bytes", step: 256 },
  { key: "connection_seconds", label: "Connection seconds", step: 0.5 },
];

export function CostPanel(props: { cost: CostEstimate | null; error: EngineError | null; traffic: Traffic; onTraffic: (t: Traffic) => void }) {
  const { cost, traffic } = props;
  return (
    <div className="panel cost" data-testid="cost">
      <form className="traffic" onSubmit={(e) => e.preventDefault()}>
        {FIELDS.map((f) => (
          <label key={f.key} className="field">
            <span className="field-label">{f.label}</span>
            <input
              type="number"
              min={0}
              step={f.step}
              value={String(traffic[f.key] ?? "")}
              onChange={(e) => {
                const v = Number(e.target.value);
                if (e.target.value !== "" && Number.isFinite(v) && v >= 0) props.onTraffic({ ...traffic, [f.key]: f.key === "connection_seconds" ? v : Math.round(v) });
              }}
            />
          </label>
        ))}
        <label className="field">
          <span className="field-label">Only what this adds</span>
          <input type="checkbox" checked={traffic.incremental} onChange={(e) => props.onTraffic({ ...traffic, incremental: e.target.checked })} />
        </label>
      </form>
      {props.error && <p className="sev-error">{props.error.message}</p>}
      {cost && (
        <>
          <p className="total">
            <b data-testid="cost-total">
              {cost.monthly_usd.toFixed(2)} {cost.currency}
            </b>{" "}
            a month (prices of {cost.prices_as_of})
          </p>
          <ul>
            {cost.resources
              .filter((r) => r.monthly_usd > 0)
              .map((r) => (
                <li key={`${r.resource.kind}/${r.resource.id}`}>
                  {r.resource.kind}/{r.resource.id}: {r.monthly_usd.toFixed(2)}
                </li>
              ))}
          </ul>
          <details>
            <summary>Assumptions and what is not included</summary>
            <ul>
              {[...cost.assumptions, ...cost.not_included.map((x) => `not included: ${x}`)].map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </details>
        </>
      )}
    </div>
  );
}
