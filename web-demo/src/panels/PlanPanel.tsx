// The deployment plan: waves of steps that may run in parallel, and the critical path.

import type { EngineError, Plan } from "../engine/types";

function seconds(s: number): string {
  return s >= 120 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`;
}

export function PlanPanel({ plan, error }: { plan: Plan | null; error: EngineError | null }) {
  if (error) return <div className="panel plan sev-error" data-testid="plan-error">{`The plan cannot be made: ${error.message}`}</div>;
  if (!plan) return <div className="panel muted">No plan yet.</div>;
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  return (
    <div className="panel plan" data-testid="plan">
      <p>
        <span data-testid="plan-step-count">{plan.steps.length}</span> steps in {plan.waves.length} waves; critical path{" "}
        {seconds(plan.critical_path.expected_seconds)}.
      </p>
      <ol className="critical-path" data-testid="critical-path">
        {plan.critical_path.steps.map((id) => (
          <li key={id}>{id}</li>
        ))}
      </ol>
      <ol className="waves">
        {plan.waves.map((w, i) => (
          <li key={i}>
            <details>
              <summary>
                Wave {i + 1}: {w.steps.length} steps, ~{seconds(w.expected_seconds)}
              </summary>
              <ul>
                {w.steps.map((id) => (
                  <li key={id} data-step-id={id} className={`action-${byId.get(id)?.action ?? ""}`}>
                    <code>{id}</code> {byId.get(id)?.description}
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ol>
    </div>
  );
}
