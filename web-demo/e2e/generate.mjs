// A synthetic topology of any size for the performance test, shaped like the three-tier
// example and like the core's generator (core/src/synth.rs): cells of two zones, each with
// private and NLB subnets and their network ACLs, two security groups, four instances, an
// internal NLB with a listener and target group, a REST VPC link, an API route through it
// and an alarm. Sixteen cells share a VPC (10.v.0.0/16, a /20 per cell).

const ZONES = ["a", "b"];

function cell(t, v, c) {
  const n = `${v}-${c}`;
  const vpc = `vpc-${v}`;
  const third = (k) => `10.${v}.${c * 16 + k}`;
  const privateBlock = `${third(0)}.0/23`;
  const nlbBlock = `${third(2)}.0/23`;
  const region = t.region;
  ZONES.forEach((z, i) => {
    t.subnets[`private-${n}-${z}`] = { vpc, az: `${region}${z}`, cidr: `${third(i)}.0/24`, network_acl: `private-${n}` };
    t.subnets[`nlb-${n}-${z}`] = { vpc, az: `${region}${z}`, cidr: `${third(2 + i)}.0/24`, network_acl: `nlb-${n}` };
  });
  t.network_acls[`private-${n}`] = {
    vpc,
    ingress: [{ rule: 100, protocol: "tcp", ports: "8080", cidr: nlbBlock, action: "allow" }],
    egress: [{ rule: 100, protocol: "tcp", ports: "1024-65535", cidr: nlbBlock, action: "allow" }],
  };
  t.network_acls[`nlb-${n}`] = {
    vpc,
    ingress: [
      { rule: 100, protocol: "tcp", ports: "80", cidr: "0.0.0.0/0", action: "allow" },
      { rule: 110, protocol: "tcp", ports: "1024-65535", cidr: privateBlock, action: "allow" },
    ],
    egress: [
      { rule: 100, protocol: "tcp", ports: "8080", cidr: privateBlock, action: "allow" },
      { rule: 110, protocol: "tcp", ports: "1024-65535", cidr: "0.0.0.0/0", action: "allow" },
    ],
  };
  t.security_groups[`nlb-${n}`] = {
    vpc,
    ingress: [{ protocol: "tcp", ports: "80", source: { cidr: `10.${v}.0.0/16` } }],
    egress: [{ protocol: "tcp", ports: "8080", destination: { security_group: `app-${n}` } }],
  };
  t.security_groups[`app-${n}`] = { vpc, ingress: [{ protocol: "tcp", ports: "8080", source: { security_group: `nlb-${n}` } }] };
  const targets = [];
  ZONES.forEach((z) => {
    for (let k = 1; k <= 2; k++) {
      const id = `web-${n}-${z}${k}`;
      t.instances[id] = {
        subnet: `private-${n}-${z}`,
        security_groups: [`app-${n}`],
        instance_type: "t3.small",
        serves: [{ port: 8080, protocol: "HTTP", health_path: "/health" }],
      };
      targets.push({ id });
    }
  });
  t.target_groups[`backend-${n}`] = {
    vpc,
    protocol: "TCP",
    port: 8080,
    target_type: "instance",
    health_check: { protocol: "HTTP", port: "traffic-port", path: "/health", interval_seconds: 30, timeout_seconds: 6, healthy_threshold: 3, unhealthy_threshold: 3 },
    targets,
  };
  t.load_balancers[`nlb-${n}`] = {
    type: "network",
    scheme: "internal",
    subnets: ZONES.map((z) => `nlb-${n}-${z}`),
    security_groups: [`nlb-${n}`],
    enforce_inbound_rules_on_privatelink: false,
    cross_zone: false,
    listeners: [{ port: 80, protocol: "TCP", forward: `backend-${n}` }],
  };
  t.vpc_links[`link-${n}`] = { targets: [`nlb-${n}`] };
  t.rest_apis[`api-${n}`] = {
    endpoint_type: "REGIONAL",
    routes: {
      "GET /items": { integration: { type: "HTTP_PROXY", vpc_link: `link-${n}`, method: "GET", uri: `http://nlb-${n}.internal:80/items`, timeout_ms: 29000 } },
    },
    stages: { prod: { logging: "INFO", metrics: true } },
  };
  t.alarms[`unhealthy-${n}`] = { metric: "UnHealthyHostCount", target_group: `backend-${n}`, load_balancer: `nlb-${n}`, threshold: 0, comparison: "GreaterThanThreshold" };
}

/** Cards the designer draws per cell: 4 subnets, 2 ACLs, 2 SGs, 4 instances, NLB, listener, TG, link, API, route, alarm. */
export const CARDS_PER_CELL = 19;

/** A topology of at least `cards` cards. */
export function generate(cards) {
  const cells = Math.ceil(cards / CARDS_PER_CELL);
  const t = { version: 1, region: "us-east-1", vpcs: {}, subnets: {}, security_groups: {}, network_acls: {}, instances: {}, load_balancers: {}, target_groups: {}, vpc_links: {}, rest_apis: {}, alarms: {} };
  for (let i = 0; i < cells; i++) {
    const v = Math.floor(i / 16);
    if (!t.vpcs[`vpc-${v}`]) t.vpcs[`vpc-${v}`] = { cidr: `10.${v}.0.0/16` };
    cell(t, v, i % 16);
  }
  return t;
}

export function cardCount(t) {
  let n = 0;
  for (const [k, m] of Object.entries(t)) if (m && typeof m === "object" && !Array.isArray(m) && k !== "observed" && k !== "origin") n += Object.keys(m).length;
  for (const lb of Object.values(t.load_balancers ?? {})) n += (lb.listeners ?? []).length;
  for (const api of Object.values(t.rest_apis ?? {})) n += Object.keys(api.routes ?? {}).length;
  return n;
}
