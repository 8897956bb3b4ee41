// What a connection between two cards means. One table: for each pair of kinds, which
// reference a connection sets, how deleting the edge unsets it, and which edges the
// topology's references draw. A pair that is not in the table is refused with a short
// reason. Connections read "backend → frontend", as the request path is wired in AWS:
// an instance registers with a target group, a target group is forwarded to by an NLB's
// listener, an NLB is a VPC link's target, a link carries a route's integration.

import type { CardKind, CardRef, JsonObject, MapKind, Topology } from "./types";
import { asObject, cardValue, objectList, resource, setCardValue, stringList, updateResource, vpcOf } from "./edit";

type MapRef<K extends MapKind> = { kind: K; id: string };
type RouteRef = Extract<CardRef, { kind: "routes" }>;
type ListenerRef = Extract<CardRef, { kind: "listeners" }>;
export type RefOf<K extends CardKind> = K extends "routes" ? RouteRef : K extends "listeners" ? ListenerRef : K extends MapKind ? MapRef<K> : never;

export type Outcome = { ok: true; topology: Topology } | { ok: false; reason: string };

const ok = (topology: Topology): Outcome => ({ ok: true, topology });
const refuse = (reason: string): Outcome => ({ ok: false, reason });

export interface Relation<A extends CardKind, B extends CardKind> {
  /** Stable name, used in edge ids. */
  name: string;
  from: A;
  to: B;
  /** What the connection means, shown on the edge. */
  label: string;
  connect(t: Topology, a: RefOf<A>, b: RefOf<B>): Outcome;
  disconnect(t: Topology, a: RefOf<A>, b: RefOf<B>): Outcome;
  /** The connections the topology's references stand for. */
  edges(t: Topology): Array<[RefOf<A>, RefOf<B>]>;
}

function relation<A extends CardKind, B extends CardKind>(r: Relation<A, B>): Relation<A, B> {
  return r;
}

function ids(t: Topology, kind: MapKind): string[] {
  return Object.keys(t[kind] ?? {});
}

function sameVpc(t: Topology, a: CardRef, b: CardRef, what: string): string | null {
  const va = vpcOf(t, a);
  const vb = vpcOf(t, b);
  if (va && vb && va !== vb) return `${what}: one is in VPC \`${va}\`, the other in \`${vb}\`.`;
  return null;
}

function withList(r: JsonObject, field: string, fn: (xs: string[]) => string[]): JsonObject {
  return { ...r, [field]: fn(stringList(r[field])) };
}

const sgAttach = <K extends "instances" | "load_balancers" | "vpc_links">(to: K, noun: string) =>
  relation<"security_groups", K>({
    name: `sg-${to}`,
    from: "security_groups",
    to,
    label: "attached",
    connect(t, sg, r) {
      const mismatch = sameVpc(t, sg, r as CardRef, `A security group protects resources of its own VPC only`);
      if (mismatch) return refuse(mismatch);
      const cur = resource(t, to, r.id);
      if (stringList(cur?.["security_groups"]).includes(sg.id)) return refuse(`\`${sg.id}\` is already attached to this ${noun}.`);
      if (to === "vpc_links" && stringList(cur?.["targets"]).length > 0)
        return refuse("A REST (V1) VPC link has no security groups; only HTTP API (V2) links do.");
      return ok(updateResource(t, to, r.id, (x) => withList(x, "security_groups", (l) => [...l, sg.id])));
    },
    disconnect(t, sg, r) {
      return ok(updateResource(t, to, r.id, (x) => withList(x, "security_groups", (l) => l.filter((g) => g !== sg.id))));
    },
    edges(t) {
      return ids(t, to).flatMap((id) =>
        stringList(resource(t, to, id)?.["security_groups"])
          .filter((sg) => t.security_groups?.[sg])
          .map((sg): [MapRef<"security_groups">, RefOf<K>] => [{ kind: "security_groups", id: sg }, { kind: to, id } as RefOf<K>]),
      );
    },
  });

function routesOf(t: Topology): RouteRef[] {
  const out: RouteRef[] = [];
  for (const api of ["rest_apis", "http_apis"] as const) {
    for (const apiId of ids(t, api)) {
      for (const key of Object.keys(asObject(resource(t, api, apiId)?.["routes"]) ?? {})) {
        out.push({ kind: "routes", api, apiId, key });
      }
    }
  }
  return out;
}

function listenersOf(t: Topology): ListenerRef[] {
  return ids(t, "load_balancers").flatMap((lb) =>
    objectList(resource(t, "load_balancers", lb)?.["listeners"]).map((_, index): ListenerRef => ({ kind: "listeners", lb, index })),
  );
}

function freeListenerPort(lb: JsonObject | undefined): number {
  const used = new Set(objectList(lb?.["listeners"]).map((l) => l["port"]));
  for (const p of [80, 8080, 443, 8443]) if (!used.has(p)) return p;
  let p = 8000;
  while (used.has(p)) p++;
  return p;
}

function integrationOf(t: Topology, route: RouteRef): JsonObject | undefined {
  return asObject(cardValue(t, route)?.["integration"]);
}

function setIntegration(t: Topology, route: RouteRef, fn: (i: JsonObject) => JsonObject): Topology {
  const r = cardValue(t, route);
  if (!r) return t;
  return setCardValue(t, route, { ...r, integration: fn(asObject(r["integration"]) ?? { type: "HTTP_PROXY" }) });
}

export const RELATIONS = [
  relation({
    name: "target",
    from: "instances",
    to: "target_groups",
    label: "registered",
    connect(t, inst, tg) {
      const group = resource(t, "target_groups", tg.id);
      const type = group?.["target_type"] ?? "instance";
      if (type !== "instance") return refuse(`Target group \`${tg.id}\` takes ${String(type)} targets, not instances.`);
      const mismatch = sameVpc(t, inst, tg, "A target group registers instances of its own VPC only");
      if (mismatch) return refuse(mismatch);
      if (objectList(group?.["targets"]).some((x) => x["id"] === inst.id)) return refuse(`\`${inst.id}\` is already a target of \`${tg.id}\`.`);
      return ok(updateResource(t, "target_groups", tg.id, (g) => ({ ...g, targets: [...objectList(g["targets"]), { id: inst.id }] })));
    },
    disconnect(t, inst, tg) {
      return ok(
        updateResource(t, "target_groups", tg.id, (g) => ({ ...g, targets: objectList(g["targets"]).filter((x) => x["id"] !== inst.id) })),
      );
    },
    edges(t) {
      return ids(t, "target_groups").flatMap((tg) =>
        objectList(resource(t, "target_groups", tg)?.["targets"])
          .map((x) => x["id"])
          .filter((id): id is string => typeof id === "string" && !!t.instances?.[id])
          .map((id): [MapRef<"instances">, MapRef<"target_groups">] => [{ kind: "instances", id }, { kind: "target_groups", id: tg }]),
      );
    },
  }),
  relation({
    name: "listener",
    from: "target_groups",
    to: "load_balancers",
    label: "adds a listener",
    connect(t, tg, lb) {
      const balancer = resource(t, "load_balancers", lb.id);
      const mismatch = sameVpc(t, tg, lb, "A listener forwards to a target group of its load balancer's VPC");
      if (mismatch) return refuse(mismatch);
      if (objectList(balancer?.["listeners"]).some((l) => l["forward"] === tg.id))
        return refuse(`\`${lb.id}\` already has a listener forwarding to \`${tg.id}\`.`);
      const protocol = resource(t, "target_groups", tg.id)?.["protocol"];
      const listener: JsonObject = { port: freeListenerPort(balancer), protocol: typeof protocol === "string" ? protocol : "TCP", forward: tg.id };
      return ok(updateResource(t, "load_balancers", lb.id, (b) => ({ ...b, listeners: [...objectList(b["listeners"]), listener] })));
    },
    disconnect(t, tg, lb) {
      return ok(
        updateResource(t, "load_balancers", lb.id, (b) => ({ ...b, listeners: objectList(b["listeners"]).filter((l) => l["forward"] !== tg.id) })),
      );
    },
    // Drawn through the listener cards instead (see `forward` and `listener-of`).
    edges: () => [],
  }),
  relation({
    name: "forward",
    from: "target_groups",
    to: "listeners",
    label: "forwards",
    connect(t, tg, l) {
      const mismatch = sameVpc(t, tg, l, "A listener forwards to a target group of its load balancer's VPC");
      if (mismatch) return refuse(mismatch);
      const cur = cardValue(t, l);
      if (!cur) return refuse("That listener no longer exists.");
      return ok(setCardValue(t, l, { ...cur, forward: tg.id }));
    },
    disconnect() {
      return refuse("A listener must forward to a target group: connect another one, or delete the listener.");
    },
    edges(t) {
      return listenersOf(t)
        .map((l): [MapRef<"target_groups">, ListenerRef] | null => {
          const fwd = cardValue(t, l)?.["forward"];
          return typeof fwd === "string" && t.target_groups?.[fwd] ? [{ kind: "target_groups", id: fwd }, l] : null;
        })
        .filter((e): e is [MapRef<"target_groups">, ListenerRef] => e !== null);
    },
  }),
  relation({
    name: "listener-of",
    from: "listeners",
    to: "load_balancers",
    label: "listener",
    connect() {
      return refuse("A listener belongs to the load balancer it was made on.");
    },
    disconnect() {
      return refuse("A listener cannot leave its load balancer: delete the listener instead.");
    },
    edges(t) {
      return listenersOf(t).map((l): [ListenerRef, MapRef<"load_balancers">] => [l, { kind: "load_balancers", id: l.lb }]);
    },
  }),
  relation({
    name: "link-target",
    from: "load_balancers",
    to: "vpc_links",
    label: "link target",
    connect(t, lb, link) {
      const balancer = resource(t, "load_balancers", lb.id);
      const l = resource(t, "vpc_links", link.id);
      if (balancer?.["type"] !== "network") return refuse("A REST API VPC link targets a network load balancer only.");
      if (stringList(l?.["subnets"]).length > 0 || stringList(l?.["security_groups"]).length > 0)
        return refuse(`\`${link.id}\` is an HTTP API (V2) link: it is placed in subnets, not pointed at an NLB.`);
      if (stringList(l?.["targets"]).includes(lb.id)) return refuse(`\`${link.id}\` already targets \`${lb.id}\`.`);
      // AWS accepts exactly one NLB per V1 link: connecting another replaces it.
      return ok(updateResource(t, "vpc_links", link.id, (x) => ({ ...x, targets: [lb.id] })));
    },
    disconnect(t, lb, link) {
      return ok(updateResource(t, "vpc_links", link.id, (x) => withList(x, "targets", (l) => l.filter((id) => id !== lb.id))));
    },
    edges(t) {
      return ids(t, "vpc_links").flatMap((link) =>
        stringList(resource(t, "vpc_links", link)?.["targets"])
          .filter((lb) => t.load_balancers?.[lb])
          .map((lb): [MapRef<"load_balancers">, MapRef<"vpc_links">] => [{ kind: "load_balancers", id: lb }, { kind: "vpc_links", id: link }]),
      );
    },
  }),
  relation({
    name: "integration",
    from: "vpc_links",
    to: "routes",
    label: "integration",
    connect(t, link, route) {
      const integration = integrationOf(t, route);
      if (integration?.["vpc_link"] === link.id) return refuse(`The route already goes through \`${link.id}\`.`);
      const lbId = stringList(resource(t, "vpc_links", link.id)?.["targets"])[0];
      const port = objectList(lbId ? resource(t, "load_balancers", lbId)?.["listeners"] : undefined)[0]?.["port"] ?? 80;
      return ok(
        setIntegration(t, route, (i) => {
          const next: JsonObject = { ...i, vpc_link: link.id };
          if (next["connection_type"] === "INTERNET") next["connection_type"] = "VPC_LINK";
          if (route.api === "rest_apis" && typeof next["uri"] !== "string") next["uri"] = `http://${lbId ?? link.id}.internal:${String(port)}/`;
          return next;
        }),
      );
    },
    disconnect(t, _link, route) {
      return ok(
        setIntegration(t, route, (i) => {
          const next = { ...i };
          delete next["vpc_link"];
          delete next["connection_type"];
          return next;
        }),
      );
    },
    edges(t) {
      return routesOf(t)
        .map((r): [MapRef<"vpc_links">, RouteRef] | null => {
          const link = integrationOf(t, r)?.["vpc_link"];
          return typeof link === "string" && t.vpc_links?.[link] ? [{ kind: "vpc_links", id: link }, r] : null;
        })
        .filter((e): e is [MapRef<"vpc_links">, RouteRef] => e !== null);
    },
  }),
  relation({
    name: "route-of",
    from: "routes",
    to: "rest_apis",
    label: "route",
    connect: () => refuse("A route belongs to the API it was made on."),
    disconnect: () => refuse("A route cannot leave its API: delete the route instead."),
    edges: (t) => routesOf(t).filter((r) => r.api === "rest_apis").map((r): [RouteRef, MapRef<"rest_apis">] => [r, { kind: "rest_apis", id: r.apiId }]),
  }),
  relation({
    name: "http-route-of",
    from: "routes",
    to: "http_apis",
    label: "route",
    connect: () => refuse("A route belongs to the API it was made on."),
    disconnect: () => refuse("A route cannot leave its API: delete the route instead."),
    edges: (t) => routesOf(t).filter((r) => r.api === "http_apis").map((r): [RouteRef, MapRef<"http_apis">] => [r, { kind: "http_apis", id: r.apiId }]),
  }),
  sgAttach("instances", "instance"),
  sgAttach("load_balancers", "load balancer"),
  sgAttach("vpc_links", "VPC link"),
  relation({
    name: "nacl",
    from: "network_acls",
    to: "subnets",
    label: "associated",
    connect(t, acl, subnet) {
      const mismatch = sameVpc(t, acl, subnet, "A network ACL guards subnets of its own VPC only");
      if (mismatch) return refuse(mismatch);
      if (resource(t, "subnets", subnet.id)?.["network_acl"] === acl.id) return refuse(`\`${subnet.id}\` already uses \`${acl.id}\`.`);
      // A subnet has exactly one ACL: connecting another replaces the association.
      return ok(updateResource(t, "subnets", subnet.id, (s) => ({ ...s, network_acl: acl.id })));
    },
    disconnect(t, _acl, subnet) {
      return ok(
        updateResource(t, "subnets", subnet.id, (s) => {
          const next = { ...s };
          delete next["network_acl"];
          return next;
        }),
      );
    },
    edges(t) {
      return ids(t, "subnets")
        .map((s): [MapRef<"network_acls">, MapRef<"subnets">] | null => {
          const acl = resource(t, "subnets", s)?.["network_acl"];
          return typeof acl === "string" && t.network_acls?.[acl] ? [{ kind: "network_acls", id: acl }, { kind: "subnets", id: s }] : null;
        })
        .filter((e): e is [MapRef<"network_acls">, MapRef<"subnets">] => e !== null);
    },
  }),
  relation({
    name: "lb-subnet",
    from: "subnets",
    to: "load_balancers",
    label: "node subnet",
    connect(t, subnet, lb) {
      const mismatch = sameVpc(t, subnet, lb, "A load balancer's subnets are all in one VPC");
      if (mismatch) return refuse(mismatch);
      const balancer = resource(t, "load_balancers", lb.id);
      const subnets = stringList(balancer?.["subnets"]);
      if (subnets.includes(subnet.id)) return refuse(`\`${lb.id}\` is already in \`${subnet.id}\`.`);
      const az = resource(t, "subnets", subnet.id)?.["az"];
      const clash = subnets.find((s) => resource(t, "subnets", s)?.["az"] === az);
      if (clash) return refuse(`\`${lb.id}\` already has subnet \`${clash}\` in ${String(az)}: one subnet per zone.`);
      return ok(updateResource(t, "load_balancers", lb.id, (b) => withList(b, "subnets", (l) => [...l, subnet.id])));
    },
    disconnect(t, subnet, lb) {
      return ok(updateResource(t, "load_balancers", lb.id, (b) => withList(b, "subnets", (l) => l.filter((s) => s !== subnet.id))));
    },
    edges(t) {
      return ids(t, "load_balancers").flatMap((lb) =>
        stringList(resource(t, "load_balancers", lb)?.["subnets"])
          .filter((s) => t.subnets?.[s])
          .map((s): [MapRef<"subnets">, MapRef<"load_balancers">] => [{ kind: "subnets", id: s }, { kind: "load_balancers", id: lb }]),
      );
    },
  }),
  relation({
    name: "link-subnet",
    from: "subnets",
    to: "vpc_links",
    label: "link subnet",
    connect(t, subnet, link) {
      const l = resource(t, "vpc_links", link.id);
      if (stringList(l?.["targets"]).length > 0) return refuse(`\`${link.id}\` is a REST API (V1) link: it targets an NLB and has no subnets.`);
      const mismatch = sameVpc(t, subnet, link, "A VPC link's subnets are all in one VPC");
      if (mismatch) return refuse(mismatch);
      if (stringList(l?.["subnets"]).includes(subnet.id)) return refuse(`\`${link.id}\` is already in \`${subnet.id}\`.`);
      return ok(updateResource(t, "vpc_links", link.id, (x) => withList(x, "subnets", (xs) => [...xs, subnet.id])));
    },
    disconnect(t, subnet, link) {
      return ok(updateResource(t, "vpc_links", link.id, (x) => withList(x, "subnets", (xs) => xs.filter((s) => s !== subnet.id))));
    },
    edges(t) {
      return ids(t, "vpc_links").flatMap((link) =>
        stringList(resource(t, "vpc_links", link)?.["subnets"])
          .filter((s) => t.subnets?.[s])
          .map((s): [MapRef<"subnets">, MapRef<"vpc_links">] => [{ kind: "subnets", id: s }, { kind: "vpc_links", id: link }]),
      );
    },
  }),
  ...(["target_groups", "load_balancers", "rest_apis", "http_apis"] as const).map((to) =>
    relation<"alarms", typeof to>({
      name: `alarm-${to}`,
      from: "alarms",
      to,
      label: "watches",
      connect(t, alarm, r) {
        const field = to === "target_groups" ? "target_group" : to === "load_balancers" ? "load_balancer" : "api";
        if (resource(t, "alarms", alarm.id)?.[field] === r.id) return refuse(`\`${alarm.id}\` already watches \`${r.id}\`.`);
        return ok(updateResource(t, "alarms", alarm.id, (a) => ({ ...a, [field]: r.id })));
      },
      disconnect(t, alarm) {
        const field = to === "target_groups" ? "target_group" : to === "load_balancers" ? "load_balancer" : "api";
        return ok(
          updateResource(t, "alarms", alarm.id, (a) => {
            const next = { ...a };
            delete next[field];
            return next;
          }),
        );
      },
      edges(t) {
        const field = to === "target_groups" ? "target_group" : to === "load_balancers" ? "load_balancer" : "api";
        return ids(t, "alarms")
          .map((a): [MapRef<"alarms">, RefOf<typeof to>] | null => {
            const target = resource(t, "alarms", a)?.[field];
            return typeof target === "string" && t[to]?.[target] ? [{ kind: "alarms", id: a }, { kind: to, id: target } as RefOf<typeof to>] : null;
          })
          .filter((e): e is [MapRef<"alarms">, RefOf<typeof to>] => e !== null);
      },
    }),
  ),
] as const;

type AnyRelation = Relation<CardKind, CardKind>;
const TABLE: readonly AnyRelation[] = RELATIONS as unknown as readonly AnyRelation[];

/** Short reasons for pairs people try that mean nothing in AWS. */
const REFUSALS: Partial<Record<string, string>> = {
  "instances>load_balancers": "An NLB forwards to a target group, not straight to instances: connect the instance to a target group.",
  "instances>vpc_links": "A VPC link reaches instances through an NLB and a target group.",
  "instances>routes": "A route reaches instances through a VPC link, an NLB and a target group.",
  "load_balancers>routes": "A route reaches a load balancer through a VPC link: connect the NLB to a link, then the link to the route.",
  "target_groups>vpc_links": "A VPC link targets a network load balancer, not a target group.",
  "target_groups>routes": "A route reaches a target group through a VPC link and an NLB.",
  "vpc_links>rest_apis": "Connect the VPC link to one of the API's routes: each route has its own integration.",
  "vpc_links>http_apis": "Connect the VPC link to one of the API's routes: each route has its own integration.",
  "instances>instances": "Two instances have no reference between them.",
  "security_groups>subnets": "Security groups attach to instances, load balancers and VPC links, not to subnets (use a network ACL).",
  "network_acls>instances": "A network ACL guards a subnet: connect it to the subnet the instance is in.",
  "security_groups>target_groups": "A target group has no security groups: attach it to the instances.",
};

function pairKey(a: CardKind, b: CardKind): string {
  return `${a}>${b}`;
}

export function kindNoun(kind: CardKind): string {
  return {
    vpcs: "VPC",
    subnets: "subnet",
    security_groups: "security group",
    network_acls: "network ACL",
    instances: "instance",
    load_balancers: "load balancer",
    target_groups: "target group",
    vpc_links: "VPC link",
    rest_apis: "REST API",
    http_apis: "HTTP API",
    alarms: "alarm",
    routes: "route",
    listeners: "listener",
  }[kind];
}

function article(noun: string): string {
  return `${/^[aeio]/i.test(noun) ? "an" : "a"} ${noun}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The relation a connection between `a` and `b` means, in either direction. */
export function findRelation(a: CardKind, b: CardKind): { relation: AnyRelation; swapped: boolean } | null {
  const direct = TABLE.find((r) => r.from === a && r.to === b);
  if (direct) return { relation: direct, swapped: false };
  const reverse = TABLE.find((r) => r.from === b && r.to === a);
  return reverse ? { relation: reverse, swapped: true } : null;
}

/** Connects two cards: the new topology, or why the connection means nothing. */
export function connect(t: Topology, a: CardRef, b: CardRef): Outcome {
  if (!cardValue(t, a) || !cardValue(t, b)) return refuse("One of the cards no longer exists.");
  const found = findRelation(a.kind, b.kind);
  if (!found) {
    const reason = REFUSALS[pairKey(a.kind, b.kind)] ?? REFUSALS[pairKey(b.kind, a.kind)];
    const [x, y] = [kindNoun(a.kind), kindNoun(b.kind)].sort();
    return refuse(reason ?? `${capitalise(article(x ?? ""))} and ${article(y ?? "")} have no reference between them.`);
  }
  const [from, to] = found.swapped ? [b, a] : [a, b];
  return found.relation.connect(t, from as never, to as never);
}

/** Removes the reference an edge stands for. */
export function disconnect(t: Topology, relationName: string, from: CardRef, to: CardRef): Outcome {
  const r = TABLE.find((x) => x.name === relationName);
  if (!r) return refuse(`Unknown connection \`${relationName}\`.`);
  return r.disconnect(t, from as never, to as never);
}

export interface EdgeRef {
  relation: string;
  label: string;
  from: CardRef;
  to: CardRef;
}

/** Every edge the topology's references draw. */
export function edgesOf(t: Topology): EdgeRef[] {
  return TABLE.flatMap((r) => r.edges(t).map(([from, to]) => ({ relation: r.name, label: r.label, from: from as CardRef, to: to as CardRef })));
}

