// Every path from a route to a target, with its verdict and, when blocked, why.

import type { ReachReport } from "../engine/types";

export function PathsPanel({ reach }: { reach: ReachReport | null }) {
  if (!reach) return <div className="panel muted">No reachability yet.</div>;
  return (
    <div className="panel paths" data-testid="paths">
      <p>
        {reach.summary.paths} paths: {reach.summary.reachable} reachable, {reach.summary.blocked} blocked, {reach.summary.unknown} unknown.
      </p>
      <ul>
        {reach.paths.map((p, i) => (
          <li key={i} className={`path reach-${p.verdict.status}`} data-status={p.verdict.status}>
            <b>{p.route_key}</b> ({p.api_id}) → {p.vpc_link ?? "?"} → {p.load_balancer ?? "?"}:{p.listener_port ?? "?"} → {p.target_group ?? "?"} →{" "}
            {p.target ?? "?"}
            {p.target_port ? `:${p.target_port}` : ""} <span className="status">{p.verdict.status}</span>
            {p.verdict.explanation && <div className="message">{p.verdict.explanation}</div>}
          </li>
        ))}
      </ul>
    </div>
  );
}
