// A form generated from the topology's JSON Schema. Text fields keep what is typed as a
// draft and write to the topology only when the value conforms, with the schema's reason
// shown beside the field otherwise.

import { useEffect, useState } from "react";
import type { Json, JsonObject } from "../model/types";
import type { Schema } from "./schema";
import { describe, resolve, skeleton, unwrapOptional, validate } from "./schema";

interface FieldProps {
  schema: Schema;
  root: Schema;
  value: Json | undefined;
  /** `undefined` removes an optional field. */
  onChange: (v: Json | undefined) => void;
  label: string;
  path: string;
  optional: boolean;
}

function isPrimitiveChoice(s: Schema, root: Schema): boolean {
  // Unions of scalars (a port or a range, `traffic-port` or a number, a protocol name or number).
  return !!s.oneOf && s.oneOf.every((o) => {
    const r = resolve(o, root);
    return r.const !== undefined || (typeof r.type === "string" && ["string", "integer", "number"].includes(r.type)) || !!r.enum;
  });
}

function isObjectChoice(s: Schema, root: Schema): boolean {
  return !!s.oneOf && s.oneOf.every((o) => {
    const r = resolve(o, root);
    return r.type === "object" && Object.keys(r.properties ?? {}).length === 1;
  });
}

/** Text typed into a scalar field → the JSON value it stands for. */
function parseScalar(text: string, s: Schema, root: Schema): Json {
  const t = text.trim();
  const wantsNumber =
    s.type === "integer" || s.type === "number" || (s.oneOf ?? []).some((o) => ["integer", "number"].includes(String(resolve(o, root).type)));
  if (wantsNumber && /^-?\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    const candidate: Json = n;
    if (validate(s, candidate, root).length === 0 || s.type === "integer" || s.type === "number") return candidate;
  }
  return s.type === "integer" || s.type === "number" ? (t === "" ? NaN : Number(t)) : text;
}

function ScalarField({ schema, root, value, onChange, label, path, optional }: FieldProps) {
  const shown = value === undefined || value === null ? "" : String(value);
  const [draft, setDraft] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(shown);
    setError(null);
  }, [shown]);
  const commit = (text: string) => {
    setDraft(text);
    if (text.trim() === "" && optional) {
      setError(null);
      onChange(undefined);
      return;
    }
    const v = parseScalar(text, schema, root);
    const errs = typeof v === "number" && Number.isNaN(v) ? [{ path, message: `must be ${describe(schema)}` }] : validate(schema, v, root);
    if (errs.length > 0) {
      setError(errs[0]?.message ?? "invalid");
      return;
    }
    setError(null);
    onChange(v);
  };
  const placeholder = schema.examples?.[0] !== undefined ? String(schema.examples[0]) : optional ? "(not set)" : "";
  return (
    <label className={"field" + (error ? " invalid" : "")} title={schema.description}>
      <span className="field-label">{label}</span>
      <input
        value={draft}
        placeholder={placeholder}
        aria-invalid={!!error}
        data-path={path}
        onChange={(e) => commit(e.target.value)}
      />
      {error && <span className="field-error">{`${label} ${error}`}</span>}
    </label>
  );
}

function EnumField({ schema, value, onChange, label, path, optional }: FieldProps) {
  const options = schema.enum ?? [];
  return (
    <label className="field" title={schema.description}>
      <span className="field-label">{label}</span>
      <select
        data-path={path}
        value={value === undefined || value === null ? "" : JSON.stringify(value)}
        onChange={(e) => onChange(e.target.value === "" ? undefined : (JSON.parse(e.target.value) as Json))}
      >
        {(optional || value === undefined) && <option value="">(not set)</option>}
        {options.map((o) => (
          <option key={JSON.stringify(o)} value={JSON.stringify(o)}>
            {String(o)}
          </option>
        ))}
      </select>
    </label>
  );
}

function BooleanField({ schema, value, onChange, label, path, optional }: FieldProps) {
  return (
    <label className="field" title={schema.description}>
      <span className="field-label">{label}</span>
      <select
        data-path={path}
        value={value === true ? "true" : value === false ? "false" : ""}
        onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value === "true")}
      >
        {optional && <option value="">(default)</option>}
        <option value="true">yes</option>
        <option value="false">no</option>
      </select>
    </label>
  );
}

function IdListField({ schema, root, value, onChange, label, path }: FieldProps) {
  const list = Array.isArray(value) ? value.map(String) : [];
  const shown = list.join(", ");
  const [draft, setDraft] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setDraft(shown), [shown]);
  return (
    <label className={"field" + (error ? " invalid" : "")} title={schema.description}>
      <span className="field-label">{label}</span>
      <input
        data-path={path}
        value={draft}
        placeholder="comma-separated ids"
        onChange={(e) => {
          setDraft(e.target.value);
          const items = e.target.value.split(",").map((x) => x.trim()).filter((x) => x !== "");
          const errs = validate(schema, items, root);
          setError(errs[0] ? `${label}${errs[0].path} ${errs[0].message}` : null);
          if (errs.length === 0) onChange(items);
        }}
      />
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}

function ObjectChoiceField({ schema, root, value, onChange, label, path }: FieldProps) {
  const variants = (schema.oneOf ?? []).map((o) => resolve(o, root));
  const current = value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value)[0] : undefined;
  const variant = variants.find((v) => Object.keys(v.properties ?? {})[0] === current) ?? variants[0];
  const key = Object.keys(variant?.properties ?? {})[0] ?? "";
  const inner = (value as JsonObject | undefined)?.[key];
  return (
    <div className="field choice" title={schema.description}>
      <span className="field-label">{label}</span>
      <select
        data-path={`${path}#kind`}
        value={key}
        onChange={(e) => {
          const v = variants.find((x) => Object.keys(x.properties ?? {})[0] === e.target.value);
          if (v) onChange({ [e.target.value]: skeleton(v.properties?.[e.target.value] ?? {}, root) });
        }}
      >
        {variants.map((v) => {
          const k = Object.keys(v.properties ?? {})[0] ?? "";
          return (
            <option key={k} value={k}>
              {k}
            </option>
          );
        })}
      </select>
      <SchemaField
        schema={variant?.properties?.[key] ?? {}}
        root={root}
        value={inner}
        label=""
        path={`${path}/${key}`}
        optional={false}
        onChange={(v) => v !== undefined && onChange({ [key]: v })}
      />
    </div>
  );
}

function ArrayOfObjectsField({ schema, root, value, onChange, label, path }: FieldProps) {
  const items = Array.isArray(value) ? value : [];
  const itemSchema = schema.items ?? {};
  return (
    <fieldset className="array" data-path={path}>
      <legend>{label}</legend>
      {items.length === 0 && <div className="muted">none</div>}
      {items.map((item, i) => (
        <div className="array-item" key={i} data-path={`${path}/${i}`}>
          <SchemaField
            schema={itemSchema}
            root={root}
            value={item}
            label={`#${i + 1}`}
            path={`${path}/${i}`}
            optional={false}
            onChange={(v) => {
              const next = [...items];
              if (v === undefined) next.splice(i, 1);
              else next[i] = v;
              onChange(next);
            }}
          />
          <button type="button" className="small danger" onClick={() => onChange(items.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="small" onClick={() => onChange([...items, skeleton(itemSchema, root)])}>
        Add
      </button>
    </fieldset>
  );
}

function JsonField({ schema, root, value, onChange, label, path, optional }: FieldProps) {
  const shown = value === undefined ? "" : JSON.stringify(value, null, 1);
  const [draft, setDraft] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setDraft(shown), [shown]);
  return (
    <label className={"field" + (error ? " invalid" : "")} title={schema.description}>
      <span className="field-label">{label}</span>
      <textarea
        data-path={path}
        rows={Math.min(8, Math.max(2, draft.split("\n").length))}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          if (e.target.value.trim() === "" && optional) {
            setError(null);
            onChange(undefined);
            return;
          }
          try {
            const v = JSON.parse(e.target.value) as Json;
            const errs = validate(schema, v, root);
            setError(errs[0] ? `${errs[0].path || label} ${errs[0].message}` : null);
            if (errs.length === 0) onChange(v);
          } catch {
            setError("not valid JSON");
          }
        }}
      />
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}

export function ObjectFields({
  schema,
  root,
  value,
  onChange,
  path,
  hidden = [],
}: {
  schema: Schema;
  root: Schema;
  value: JsonObject;
  onChange: (v: JsonObject) => void;
  path: string;
  hidden?: string[];
}) {
  const s = resolve(schema, root);
  const required = new Set(s.required ?? []);
  return (
    <div className="object-fields">
      {Object.entries(s.properties ?? {})
        .filter(([k]) => !hidden.includes(k))
        .map(([k, prop]) => (
          <SchemaField
            key={k}
            schema={prop}
            root={root}
            value={value[k]}
            label={k}
            path={`${path}/${k}`}
            optional={!required.has(k)}
            onChange={(v) => {
              const next = { ...value };
              if (v === undefined) delete next[k];
              else next[k] = v;
              onChange(next);
            }}
          />
        ))}
    </div>
  );
}

export function SchemaField(props: FieldProps) {
  const { schema: raw, root, optional } = props;
  const { schema, nullable } = unwrapOptional(raw, root);
  const p = { ...props, schema, optional: optional || nullable };
  if (isObjectChoice(schema, root)) return <ObjectChoiceField {...p} />;
  if (isPrimitiveChoice(schema, root)) return <ScalarField {...p} />;
  if (schema.enum) return <EnumField {...p} />;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "boolean") return <BooleanField {...p} />;
  if (type === "string" || type === "integer" || type === "number") return <ScalarField {...p} />;
  if (type === "array") {
    const item = unwrapOptional(schema.items ?? {}, root).schema;
    if (item.type === "string") return <IdListField {...p} />;
    if (item.type === "object" || item.properties) return <ArrayOfObjectsField {...p} />;
    return <JsonField {...p} />;
  }
  if ((type === "object" || schema.properties) && schema.properties && !schema.additionalProperties) {
    const obj = props.value && typeof props.value === "object" && !Array.isArray(props.value) ? (props.value as JsonObject) : undefined;
    return (
      <fieldset className="object" data-path={props.path}>
        <legend>{props.label}</legend>
        {obj === undefined && p.optional ? (
          <button type="button" className="small" onClick={() => props.onChange(skeleton(schema, root))}>
            Set
          </button>
        ) : (
          <ObjectFields schema={schema} root={root} value={obj ?? {}} path={props.path} onChange={(v) => props.onChange(v)} />
        )}
      </fieldset>
    );
  }
  return <JsonField {...p} />;
}
