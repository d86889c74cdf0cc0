// Offline validation of Gateway API manifests against the CRDs in shared/schemas/gateway-api/
// (v1.6.1, read at test time, never copied): what `kubectl apply` with strict field validation
// would reject. Method from shared/reference/validation.md §3:
//   1. openAPIV3Schema → draft-07 (nullable, int-or-string, additionalProperties:false on objects
//      with properties unless x-kubernetes-preserve-unknown-fields, metadata.name required);
//   2. ajv with useDefaults, run twice (the first run only fills in defaults, as the API server
//      defaults before it validates; ajv evaluates oneOf before it fills defaults);
//   3. every x-kubernetes-validations rule evaluated with @bufbuild/cel on the defaulted document;
//   4. list-type map/set uniqueness (the API server rejects duplicate keys).
import { readFileSync, readdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { CelScalar, celEnv, celFunc, isCelError, parse as celParse, plan as celPlan, type CelInput } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { parse } from 'yaml';

export const GATEWAY_API_DIR = fileURLToPath(new URL('../../../shared/schemas/gateway-api/', import.meta.url));

type Schema = Record<string, unknown>;
type Json = unknown;

export interface Finding {
  /** ajv: schema (types, ranges, unknown fields, patterns); cel: x-kubernetes-validations; list: duplicate list-map keys. */
  source: 'ajv' | 'cel' | 'list' | 'kind';
  path: string;
  message: string;
}

export interface Result {
  /** group/version/Kind, e.g. gateway.networking.k8s.io/v1/HTTPRoute. */
  gvk: string;
  findings: Finding[];
  celRuns: number;
}

const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

const METADATA: Schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN },
    namespace: { type: 'string', maxLength: 63, pattern: DNS_LABEL },
    labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 63 } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/** openAPIV3Schema (structural, Kubernetes flavour) → JSON Schema draft-07. */
export function toDraft7(s: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith('x-kubernetes-') || k === 'nullable') continue;
    if (k === 'properties' && v && typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([p, sub]) => [p, toDraft7(sub)]));
    else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && v && typeof v === 'object') out[k] = toDraft7(v as Schema);
    else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) out[k] = v.map((x) => toDraft7(x as Schema));
    else out[k] = v;
  }
  if (s['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (s.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (out.type === 'object' && out.properties && !s['x-kubernetes-preserve-unknown-fields'] && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

interface CrdVersion {
  schema: Schema;
  validate: ValidateFunction;
}

/** Converts a JSON value to a CEL input guided by the schema (integers → BigInt, objects → Map). */
function toCel(v: Json, s: Schema | undefined): CelInput {
  if (Array.isArray(v)) return v.map((x) => toCel(x, s?.items as Schema | undefined));
  if (v && typeof v === 'object') {
    const props = (s?.properties ?? {}) as Record<string, Schema>;
    const extra = typeof s?.additionalProperties === 'object' ? (s.additionalProperties as Schema) : undefined;
    return new Map(Object.entries(v as Record<string, Json>).map(([k, x]) => [k, toCel(x, props[k] ?? extra)]));
  }
  if (typeof v === 'number' && (s?.type === 'integer' || s?.['x-kubernetes-int-or-string']) && Number.isInteger(v)) return BigInt(v);
  return v as CelInput;
}

const isIPFunc = celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s: string) => isIP(s) !== 0);
const env = celEnv({ funcs: [...strings, isIPFunc] });
const plans = new Map<string, ReturnType<typeof celPlan>>();

function celCheck(schema: Schema, value: Json, path: string, out: Finding[], counter: { runs: number }): void {
  if (value === undefined || value === null) return;
  const rules = schema['x-kubernetes-validations'] as { rule: string; message?: string }[] | undefined;
  for (const r of rules ?? []) {
    if (r.rule.includes('oldSelf')) continue; // transition rules: nothing to compare on create
    let p = plans.get(r.rule);
    if (!p) {
      p = celPlan(env, celParse(r.rule));
      plans.set(r.rule, p);
    }
    counter.runs++;
    const res = p({ self: toCel(value, schema) });
    if (isCelError(res)) out.push({ source: 'cel', path, message: `CEL error in ${JSON.stringify(r.rule)}: ${res.message}` });
    else if (res !== true) out.push({ source: 'cel', path, message: r.message ?? `failed rule ${r.rule}` });
  }
  listCheck(schema, value, path, out);
  if (Array.isArray(value) && schema.items) value.forEach((x, i) => celCheck(schema.items as Schema, x, `${path}/${i}`, out, counter));
  else if (value && typeof value === 'object') {
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const extra = typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as Schema) : undefined;
    for (const [k, x] of Object.entries(value as Record<string, Json>)) {
      const sub = props[k] ?? extra;
      if (sub) celCheck(sub, x, `${path}/${k}`, out, counter);
    }
  }
}

/** x-kubernetes-list-type map (unique keys) and set (unique items), as the API server enforces. */
function listCheck(schema: Schema, value: Json, path: string, out: Finding[]): void {
  if (!Array.isArray(value)) return;
  const type = schema['x-kubernetes-list-type'];
  const keys = schema['x-kubernetes-list-map-keys'] as string[] | undefined;
  if (type !== 'map' && type !== 'set') return;
  const seen = new Set<string>();
  for (const item of value) {
    const k = type === 'map' && keys ? JSON.stringify(keys.map((key) => (item as Record<string, Json>)?.[key] ?? null)) : JSON.stringify(item);
    if (seen.has(k)) out.push({ source: 'list', path, message: `duplicate ${type === 'map' ? `key ${k}` : `item ${k}`} in a list of type ${type}` });
    seen.add(k);
  }
}

export interface GatewayApiValidator {
  /** group/version/Kind known from the CRDs. */
  kinds: string[];
  validate(doc: Json): Result;
}

export function loadGatewayApiValidator(dir = GATEWAY_API_DIR): GatewayApiValidator {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  const versions = new Map<string, CrdVersion>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const crd = parse(readFileSync(`${dir}/${file}`, 'utf8')) as { kind: string; spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[] } };
    if (crd.kind !== 'CustomResourceDefinition') continue;
    for (const v of crd.spec.versions) {
      if (!v.served) continue;
      const schema = v.schema.openAPIV3Schema;
      const draft = toDraft7(schema);
      draft.properties = { ...(draft.properties as Schema), metadata: METADATA };
      draft.required = [...new Set([...((draft.required as string[]) ?? []), 'apiVersion', 'kind', 'metadata'])];
      draft.additionalProperties = false;
      versions.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, { schema, validate: ajv.compile(draft) });
    }
  }
  return {
    kinds: [...versions.keys()].sort(),
    validate(doc: Json): Result {
      const d = doc as { apiVersion?: string; kind?: string };
      const gvk = `${d.apiVersion}/${d.kind}`;
      const v = versions.get(gvk);
      if (!v) return { gvk, findings: [{ source: 'kind', path: '', message: `no CRD schema for ${gvk}` }], celRuns: 0 };
      const copy = structuredClone(doc);
      v.validate(copy); // fills defaults only
      const ok = v.validate(copy);
      const findings: Finding[] = ok ? [] : (v.validate.errors ?? []).map((e) => ({ source: 'ajv' as const, path: e.instancePath, message: `${e.message ?? e.keyword}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}` }));
      const counter = { runs: 0 };
      celCheck(v.schema, copy, '', findings, counter);
      return { gvk, findings, celRuns: counter.runs };
    },
  };
}
