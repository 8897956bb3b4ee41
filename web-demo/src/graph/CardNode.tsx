// One resource on the canvas. Names come from the topology and are rendered as text
// only (React escapes them); nothing here builds HTML from strings.

import { Handle, Position, type NodeProps, type Node } from "@xyflow/react";
import { memo } from "react";
import type { CardKind } from "../model/types";
import { kindNoun } from "../model/connections";

export interface Decoration {
  errors: string[];
  warnings: string[];
  infos: string[];
  /** Why this card blocks paths, when it does. */
  blocks: string[];
}

export interface CardData extends Record<string, unknown> {
  kind: CardKind | "az";
  title: string;
  subtitle?: string;
  deco: Decoration;
  container: boolean;
}

export type CardNodeType = Node<CardData, "card" | "container">;

const GLYPH: Record<string, string> = {
  vpcs: "VPC",
  subnets: "SN",
  security_groups: "SG",
  network_acls: "ACL",
  instances: "EC2",
  load_balancers: "NLB",
  target_groups: "TG",
  vpc_links: "LNK",
  rest_apis: "API",
  http_apis: "API",
  alarms: "ALM",
  routes: "RT",
  listeners: "LSN",
  az: "AZ",
};

function Badges({ deco }: { deco: Decoration }) {
  const all = [
    ...deco.errors.map((c) => ["error", c] as const),
    ...deco.warnings.map((c) => ["warning", c] as const),
    ...deco.infos.map((c) => ["info", c] as const),
  ];
  if (all.length === 0) return null;
  const codes = [...new Set(all.map(([, c]) => c))];
  const worst = all[0]?.[0] ?? "info";
  return (
    <span className={`badge sev-${worst}`} data-testid="card-badge" data-codes={codes.join(" ")} title={codes.join(", ")}>
      {codes.slice(0, 2).join(" ")}
      {codes.length > 2 ? ` +${codes.length - 2}` : ""}
    </span>
  );
}

function CardNodeView({ data, selected }: NodeProps<CardNodeType>) {
  const blocked = data.deco.blocks.length > 0;
  const label = data.kind === "az" ? "Availability Zone" : kindNoun(data.kind);
  const cls = [data.container ? "container-node" : "card-node", `kind-${data.kind}`, selected ? "selected" : "", blocked ? "blocks" : ""].join(" ");
  return (
    <div className={cls} data-testid={`card:${data.kind}`} title={blocked ? data.deco.blocks.join("\n") : undefined}>
      {data.kind !== "az" && (
        <>
          <Handle type="source" position={Position.Left} />
          <Handle type="target" position={Position.Right} />
        </>
      )}
      <div className="card-head">
        <span className="glyph">{GLYPH[data.kind] ?? "?"}</span>
        <span className="card-kind">{label}</span>
        <Badges deco={data.deco} />
      </div>
      <div className="card-title" data-testid="card-title">
        {data.title}
      </div>
      {data.subtitle && <div className="card-subtitle">{data.subtitle}</div>}
    </div>
  );
}

export const CardNode = memo(CardNodeView);
