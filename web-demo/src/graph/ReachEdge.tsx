// An edge coloured by reachability: the paths that run along it and what they found,
// in an SVG <title> so hovering shows the explanation as plain text.

import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import type { EdgeStatus } from "./reach";

export interface ReachEdgeData extends Record<string, unknown> {
  relation: string;
  label: string;
  status?: EdgeStatus;
  lines: string[];
}

export type ReachEdgeType = Edge<ReachEdgeData, "reach">;

function ReachEdgeView(props: EdgeProps<ReachEdgeType>) {
  const [path] = getBezierPath(props);
  const status = props.data?.status;
  const title = [props.data?.label ?? "", ...(props.data?.lines ?? [])].filter(Boolean).join("\n");
  return (
    <g className={`reach-edge ${status ? `reach-${status}` : "reach-none"} rel-${props.data?.relation ?? ""}`} data-status={status ?? "none"}>
      <BaseEdge id={props.id} path={path} interactionWidth={14} />
      <title>{title}</title>
    </g>
  );
}

export const ReachEdge = memo(ReachEdgeView);
