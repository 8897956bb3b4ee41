// The subset of JSON Schema (2020-12) the topology schema uses, for the inspector: resolve
// `$ref`s, tell optional values, and check a value before it is written to the topology,
// so a form never hands the engine a document it cannot read.

import type { Json } from "../model/types";

export type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: Json[];
  const?: Json;
  oneOf?: Schema[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  description?: string;
  default?: Json;
  examples?: Json[];
  format?: string;
  $defs?: Record<string, Schema>;
};

export function resolve(s: Schema | undefined, root: Schema): Schema {
  let cur = s ?? {};
  for (let i = 0; i < 16 && cur.$ref; i++) {
    const name = cur.$ref.replace(/^#\/\$defs\//, "");
    const { $ref: _ref, ...rest } = cur;
    cur = { ...(root.$defs?.[name] ?? {}), ...rest, description: rest.description ?? root.$defs?.[name]?.description };
  }
  return cur;
}

/** `X | null` (written as anyOf or as a type list) → X, marked optional. */
export function unwrapOptional(s: Schema, root: Schema): { schema: Schema; nullable: boolean } {
  const r = resolve(s, root);
  if (r.anyOf && r.anyOf.length === 2) {
    const nonNull = r.anyOf.find((x) => resolve(x, root).type !== "null");
    if (nonNull && r.anyOf.some((x) => resolve(x, root).type === "null"))
      return { schema: { ...resolve(nonNull, root), description: r.description ?? resolve(nonNull, root).description }, nullable: true };
  }
  if (Array.isArray(r.type) && r.type.includes("null")) {
    const types = r.type.filter((t) => t !== "null");
    return { schema: { ...r, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  return { schema: r, nullable: false };
}

function typeOf(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(expected: string, v: Json): boolean {
  const actual = typeOf(v);
  return expected === actual || (expected === "number" && actual === "integer");
}

export interface SchemaError {
  path: string;
  message: string;
}

/** The ways `value` breaks `schema`; empty when it conforms. */
export function validate(schema: Schema, value: Json, root: Schema, path = ""): SchemaError[] {
  const s = resolve(schema, root);
  const errs: SchemaError[] = [];
  const err = (message: string) => errs.push({ path, message });
  if (s.oneOf) {
    const matching = s.oneOf.filter((o) => validate(o, value, root, path).length === 0);
    if (matching.length !== 1) {
      const alts = s.oneOf.map((o) => describe(resolve(o, root))).join(" or ");
      err(matching.length === 0 ? `must be ${alts}` : `matches more than one of: ${alts}`);
    }
    return errs;
  }
  if (s.anyOf) {
    if (!s.anyOf.some((o) => validate(o, value, root, path).length === 0)) err(`must be ${s.anyOf.map((o) => describe(resolve(o, root))).join(" or ")}`);
    return errs;
  }
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value)) err(`must be ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) err(`must be one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")}`);
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => typeMatches(t, value))) {
      err(`must be ${types.join(" or ")}`);
      return errs;
    }
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) err(`must be at least ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) err(`must be at most ${s.maximum}`);
    if (s.format?.startsWith("uint") && value < 0) err("must not be negative");
  }
  if (typeof value === "string") {
    if (s.minLength !== undefined && value.length < s.minLength) err(s.minLength === 1 ? "must not be empty" : `must be at least ${s.minLength} characters`);
    if (s.maxLength !== undefined && value.length > s.maxLength) err(`must be at most ${s.maxLength} characters`);
    if (s.pattern && !new RegExp(s.pattern, "u").test(value)) err(`must match ${s.pattern}`);
  }
  if (Array.isArray(value) && s.items) {
    value.forEach((item, i) => errs.push(...validate(s.items as Schema, item, root, `${path}/${i}`)));
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const req of s.required ?? []) if (!(req in value)) errs.push({ path: `${path}/${req}`, message: "is required" });
    for (const [k, v] of Object.entries(value)) {
      const prop = s.properties?.[k];
      if (prop) errs.push(...validate(prop, v as Json, root, `${path}/${k}`));
      else if (s.additionalProperties === false) errs.push({ path: `${path}/${k}`, message: "is not a known field" });
      else if (s.additionalProperties && typeof s.additionalProperties === "object")
        errs.push(...validate(s.additionalProperties, v as Json, root, `${path}/${k}`));
    }
  }
  return errs;
}

export function describe(s: Schema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return `one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")}`;
  if (s.properties) return `{${Object.keys(s.properties).join("|")}}`;
  const t = Array.isArray(s.type) ? s.type.join("|") : s.type ?? "a value";
  if (t === "integer" && s.minimum !== undefined && s.maximum !== undefined) return `an integer ${s.minimum}–${s.maximum}`;
  if (s.pattern) return `${t} like ${JSON.stringify(s.examples?.[0] ?? s.pattern)}`;
  return t === "integer" ? "an integer" : t === "string" ? "a string" : t;
}

/** The smallest value of `schema` that has every required field, for "Add" buttons. */
export function skeleton(schema: Schema, root: Schema): Json {
  const s = resolve(schema, root);
  if (s.default !== undefined) return s.default;
  if (s.oneOf) return skeleton(s.oneOf[0] ?? {}, root);
  if (s.anyOf) return skeleton(s.anyOf[0] ?? {}, root);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0] ?? null;
  if (s.examples?.[0] !== undefined) return s.examples[0];
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (t) {
    case "object": {
      const o: Record<string, Json> = {};
      for (const r of s.required ?? []) o[r] = skeleton(s.properties?.[r] ?? {}, root);
      return o;
    }
    case "array":
      return [];
    case "integer":
    case "number":
      return s.minimum !== undefined && s.minimum > 0 ? s.minimum : 0;
    case "boolean":
      return false;
    case "string":
      return "";
    default:
      if (s.properties) return skeleton({ ...s, type: "object" }, root);
      return null;
  }
}

/** The schema definition of each card kind in the topology schema. */
export const DEFINITION_OF: Record<string, string> = {
  vpcs: "Vpc",
  subnets: "Subnet",
  security_groups: "SecurityGroup",
  network_acls: "NetworkAcl",
  instances: "Instance",
  load_balancers: "LoadBalancer",
  target_groups: "TargetGroup",
  vpc_links: "VpcLink",
  rest_apis: "RestApi",
  http_apis: "HttpApi",
  alarms: "Alarm",
  routes: "Route",
  listeners: "Listener",
};
