// Offline validation of Envoy v3 bootstrap configs with Envoy's own .proto files (the API vendored
// in @grpc/grpc-js-xds, data-plane-api of 2024-07, about Envoy 1.31) — see
// ../shared/reference/validation.md §2:
//   1. protobufjs parses the protos; they are turned into a FileDescriptorSet (one file per .proto,
//      fully-qualified names, protoc-style map entries) and loaded with @bufbuild/protobuf;
//   2. `fromJson` decodes the Bootstrap strictly: unknown keys, bad enums, bad durations and
//      `typed_config` types missing from the registry are errors;
//   3. a small checker applies the protoc-gen-validate rules that matter (required messages and
//      oneofs, string lengths, numeric and duration bounds, list and map sizes), following Any.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { create, createFileRegistry, fromJson, type DescField, type DescMessage, type JsonValue, type Message, type Registry } from '@bufbuild/protobuf';
import { reflect, type ReflectMessage } from '@bufbuild/protobuf/reflect';
import {
  anyUnpack,
  FieldDescriptorProto_Type as T,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  file_google_protobuf_any,
  file_google_protobuf_duration,
  file_google_protobuf_empty,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_wrappers,
  type Any,
  type DescriptorProtoJson,
  type EnumDescriptorProtoJson,
  type FieldDescriptorProtoJson,
  type FileDescriptorProto,
} from '@bufbuild/protobuf/wkt';
import protobuf from 'protobufjs';
import { parse as parseYaml } from 'yaml';

const require = createRequire(import.meta.url);
const DEPS = join(dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
const ROOTS = ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => join(DEPS, d));
const PBJS_GOOGLE = join(dirname(require.resolve('protobufjs/package.json')));

/** The protos edgewise's generated configs use (bootstrap + every typed_config they name). */
export const EDGEWISE_ENTRY_PROTOS = [
  'envoy/config/bootstrap/v3/bootstrap.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
  'envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit.proto',
  'envoy/extensions/filters/http/buffer/v3/buffer.proto',
  'envoy/extensions/access_loggers/stream/v3/stream.proto',
  'envoy/extensions/transport_sockets/tls/v3/tls.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
  'envoy/extensions/resource_monitors/fixed_heap/v3/fixed_heap.proto',
  'envoy/extensions/resource_monitors/downstream_connections/v3/downstream_connections.proto',
];

const WKT: Record<string, FileDescriptorProto> = Object.fromEntries(
  [file_google_protobuf_any, file_google_protobuf_duration, file_google_protobuf_empty, file_google_protobuf_struct, file_google_protobuf_timestamp, file_google_protobuf_wrappers].map((f) => [f.proto.name, f.proto]),
);

/** Finds an import in the vendored roots (google/protobuf/* of protobufjs last). */
function locate(file: string): string | undefined {
  for (const r of ROOTS) if (existsSync(join(r, file))) return join(r, file);
  if (existsSync(join(PBJS_GOOGLE, file))) return join(PBJS_GOOGLE, file);
  return undefined;
}

const importsOf = (abs: string): string[] => [...readFileSync(abs, 'utf8').matchAll(/^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm)].map((m) => m[1] as string);

/** Every envoy/**\/v3/*.proto whose imports all exist (345 of 350; the rest need OpenCensus/OpenTelemetry). */
export function allLoadableV3Protos(): string[] {
  const root = join(DEPS, 'envoy-api');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.proto') && p.split(sep).includes('v3')) files.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(join(root, 'envoy'));
  const ok = new Map<string, boolean>();
  const loadable = (f: string, seen: Set<string>): boolean => {
    const known = ok.get(f);
    if (known !== undefined) return known;
    if (f.startsWith('google/protobuf/')) return true;
    const abs = locate(f);
    if (!abs || seen.has(f)) return Boolean(abs);
    seen.add(f);
    const res = importsOf(abs).every((i) => loadable(i, seen));
    ok.set(f, res);
    return res;
  };
  return files.filter((f) => loadable(f, new Set())).sort();
}

// ---------------------------------------------------------------- protobufjs Root -> descriptors

const SCALAR: Record<string, T> = {
  double: T.DOUBLE, float: T.FLOAT, int64: T.INT64, uint64: T.UINT64, int32: T.INT32, fixed64: T.FIXED64, fixed32: T.FIXED32,
  bool: T.BOOL, string: T.STRING, bytes: T.BYTES, uint32: T.UINT32, sfixed32: T.SFIXED32, sfixed64: T.SFIXED64, sint32: T.SINT32, sint64: T.SINT64,
};

/** protoc's json_name: drop "_" and upper-case the next letter. */
const jsonName = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/_/g, '');
/** protoc's map entry name: `typed_per_filter_config` -> `TypedPerFilterConfigEntry`. */
const entryName = (field: string): string => {
  const camel = jsonName(field);
  return `${camel.charAt(0).toUpperCase()}${camel.slice(1)}Entry`;
};

const typeName = (t: protobuf.ReflectionObject): string => t.fullName.replace(/^\./, '');

interface Builder {
  fileOf(obj: protobuf.ReflectionObject): string;
}

function fileNameOf(obj: protobuf.ReflectionObject): string {
  const name = typeName(obj);
  if (name.startsWith('google.protobuf.')) {
    const top = name.split('.')[2] ?? '';
    const wkt = { Any: 'any', Duration: 'duration', Empty: 'empty', Struct: 'struct', Value: 'struct', ListValue: 'struct', NullValue: 'struct', Timestamp: 'timestamp' }[top] ?? (top.endsWith('Value') ? 'wrappers' : top.toLowerCase());
    return `google/protobuf/${wkt}.proto`;
  }
  let o: protobuf.ReflectionObject | null = obj;
  while (o && !o.filename) o = o.parent;
  if (!o?.filename) throw new Error(`no source file for ${name}`);
  for (const r of [...ROOTS, PBJS_GOOGLE]) if (o.filename.startsWith(r + sep)) return relative(r, o.filename).split(sep).join('/');
  return o.filename;
}

function fieldDescriptor(f: protobuf.Field, deps: Set<string>, b: Builder, oneofIndex: Map<string, number>, nested: DescriptorProtoJson[]): FieldDescriptorProtoJson {
  const out: FieldDescriptorProtoJson = { name: f.name, number: f.id, jsonName: jsonName(f.name) };
  const ref = (t: protobuf.Type | protobuf.Enum): string => {
    deps.add(b.fileOf(t));
    return `.${typeName(t)}`;
  };
  if (f instanceof protobuf.MapField) {
    const entry = entryName(f.name);
    const value: FieldDescriptorProtoJson = { name: 'value', number: 2, label: 'LABEL_OPTIONAL', jsonName: 'value' };
    if (f.resolvedType) {
      value.type = f.resolvedType instanceof protobuf.Enum ? 'TYPE_ENUM' : 'TYPE_MESSAGE';
      value.typeName = ref(f.resolvedType);
    } else value.type = `TYPE_${f.type.toUpperCase()}` as FieldDescriptorProtoJson['type'];
    nested.push({ name: entry, options: { mapEntry: true }, field: [{ name: 'key', number: 1, label: 'LABEL_OPTIONAL', jsonName: 'key', type: `TYPE_${f.keyType.toUpperCase()}` as FieldDescriptorProtoJson['type'] }, value] });
    out.label = 'LABEL_REPEATED';
    out.type = 'TYPE_MESSAGE';
    out.typeName = `.${typeName(f.parent as protobuf.Type)}.${entry}`;
    return out;
  }
  out.label = f.repeated ? 'LABEL_REPEATED' : f.required ? 'LABEL_REQUIRED' : 'LABEL_OPTIONAL';
  if (f.resolvedType) {
    out.type = f.resolvedType instanceof protobuf.Enum ? 'TYPE_ENUM' : 'TYPE_MESSAGE';
    out.typeName = ref(f.resolvedType);
  } else {
    const s = SCALAR[f.type];
    if (s === undefined) throw new Error(`unresolved type ${f.type} of ${f.fullName}`);
    out.type = `TYPE_${f.type.toUpperCase()}` as FieldDescriptorProtoJson['type'];
  }
  if (f.partOf) {
    out.oneofIndex = oneofIndex.get(f.partOf.name);
    if (f.options?.proto3_optional) out.proto3Optional = true;
  }
  return out;
}

function enumDescriptor(e: protobuf.Enum): EnumDescriptorProtoJson {
  const values = Object.entries(e.values);
  const aliased = new Set(values.map(([, n]) => n)).size !== values.length;
  return { name: e.name, value: values.map(([name, number]) => ({ name, number })), ...(aliased ? { options: { allowAlias: true } } : {}) };
}

function messageDescriptor(t: protobuf.Type, deps: Set<string>, b: Builder): DescriptorProtoJson {
  // protoc puts synthetic oneofs (proto3 `optional`) after the real ones.
  const oneofs = [...t.oneofsArray].sort((a, c) => Number(a.oneof.length === 1 && a.name.startsWith('_')) - Number(c.oneof.length === 1 && c.name.startsWith('_')));
  const oneofIndex = new Map(oneofs.map((o, i) => [o.name, i]));
  const nested: DescriptorProtoJson[] = [];
  const enums: EnumDescriptorProtoJson[] = [];
  for (const n of t.nestedArray) {
    if (n instanceof protobuf.Type) nested.push(messageDescriptor(n, deps, b));
    else if (n instanceof protobuf.Enum) enums.push(enumDescriptor(n));
  }
  const field = t.fieldsArray.filter((f) => !f.extend).map((f) => fieldDescriptor(f, deps, b, oneofIndex, nested));
  return { name: t.name, field, nestedType: nested, enumType: enums, oneofDecl: oneofs.map((o) => ({ name: o.name })) };
}

function toFileDescriptors(root: protobuf.Root): FileDescriptorProto[] {
  const files = new Map<string, { pkg: string; syntax: string; messages: DescriptorProtoJson[]; enums: EnumDescriptorProtoJson[]; deps: Set<string> }>();
  const b: Builder = { fileOf: fileNameOf };
  const visit = (ns: protobuf.NamespaceBase): void => {
    for (const n of ns.nestedArray) {
      if (n instanceof protobuf.Type || n instanceof protobuf.Enum) {
        const file = fileNameOf(n);
        if (file.startsWith('google/protobuf/')) continue; // from @bufbuild/protobuf's own WKT descriptors
        let f = files.get(file);
        if (!f) {
          const edition = (n as unknown as { _edition?: string })._edition;
          f = { pkg: typeName(ns), syntax: edition === 'proto2' ? 'proto2' : 'proto3', messages: [], enums: [], deps: new Set() };
          files.set(file, f);
        }
        if (n instanceof protobuf.Type) f.messages.push(messageDescriptor(n, f.deps, b));
        else f.enums.push(enumDescriptor(n));
      } else if (n instanceof protobuf.Namespace) visit(n);
    }
  };
  visit(root);
  const protos = new Map<string, FileDescriptorProto>();
  for (const [name, f] of files) {
    f.deps.delete(name);
    const json = { name, package: f.pkg, dependency: [...f.deps].sort(), messageType: f.messages, enumType: f.enums, syntax: f.syntax };
    protos.set(name, create(FileDescriptorProtoSchema, fromJsonFile(json)));
  }
  // Dependencies first, as protoc emits them.
  const ordered: FileDescriptorProto[] = [];
  const done = new Set<string>();
  const add = (name: string): void => {
    if (done.has(name)) return;
    done.add(name);
    const p = protos.get(name) ?? WKT[name];
    if (!p) throw new Error(`missing descriptor for ${name}`);
    for (const d of p.dependency) add(d);
    ordered.push(p);
  };
  for (const name of [...protos.keys()].sort()) add(name);
  return ordered;
}

/** The descriptor JSON shapes above use proto JSON names; decode them as FileDescriptorProto. */
function fromJsonFile(json: unknown): FileDescriptorProto {
  return fromJson(FileDescriptorProtoSchema, json as JsonValue);
}

// ---------------------------------------------------------------- the registry

export interface EnvoyRegistry {
  registry: Registry;
  root: protobuf.Root;
  bootstrap: DescMessage;
  files: number;
}

const cache = new Map<string, EnvoyRegistry>();

/** Builds (once per entry list) the registry of the given protos and their imports. */
export function envoyRegistry(entries: readonly string[] = EDGEWISE_ENTRY_PROTOS): EnvoyRegistry {
  const key = entries.join('\n');
  const hit = cache.get(key);
  if (hit) return hit;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => locate(target) ?? target;
  root.loadSync(entries.map((e) => locate(e) ?? e), { keepCase: true });
  root.resolveAll();
  const set = create(FileDescriptorSetSchema, { file: toFileDescriptors(root) });
  const registry = createFileRegistry(set);
  const bootstrap = registry.getMessage('envoy.config.bootstrap.v3.Bootstrap');
  if (!bootstrap) throw new Error('Bootstrap not in the registry');
  const out = { registry, root, bootstrap, files: set.file.length };
  cache.set(key, out);
  return out;
}

// ---------------------------------------------------------------- protoc-gen-validate (subset)

type Rules = Record<string, unknown>;

function rulesOf(obj: protobuf.ReflectionObject | null | undefined, option: string): Rules | undefined {
  const parsed = (obj?.parsedOptions ?? []) as Record<string, unknown>[];
  const merged: Rules = {};
  let found = false;
  for (const o of parsed) {
    if (option in o) {
      found = true;
      Object.assign(merged, o[option] as Rules);
    }
  }
  return found ? merged : undefined;
}

const toNanos = (d: unknown): bigint => {
  const o = (d ?? {}) as { seconds?: number | string | bigint; nanos?: number };
  return BigInt(o.seconds ?? 0) * 1_000_000_000n + BigInt(o.nanos ?? 0);
};

function checkNumber(v: number | bigint, r: Rules, where: string, errors: string[]): void {
  const n = Number(v);
  const cmp = (a: number, b: unknown): number => a - Number(b);
  if (r.const !== undefined && cmp(n, r.const) !== 0) errors.push(`${where}: must equal ${String(r.const)}`);
  if (r.gt !== undefined && !(cmp(n, r.gt) > 0)) errors.push(`${where}: must be > ${String(r.gt)} (is ${String(v)})`);
  if (r.gte !== undefined && !(cmp(n, r.gte) >= 0)) errors.push(`${where}: must be >= ${String(r.gte)} (is ${String(v)})`);
  if (r.lt !== undefined && !(cmp(n, r.lt) < 0)) errors.push(`${where}: must be < ${String(r.lt)} (is ${String(v)})`);
  if (r.lte !== undefined && !(cmp(n, r.lte) <= 0)) errors.push(`${where}: must be <= ${String(r.lte)} (is ${String(v)})`);
  if (Array.isArray(r.in) && !r.in.map(Number).includes(Number(v))) errors.push(`${where}: must be one of ${r.in.join(', ')}`);
}

function checkString(v: string, r: Rules, where: string, errors: string[]): void {
  const len = [...v].length;
  const bytes = Buffer.byteLength(v);
  if (r.min_len !== undefined && len < Number(r.min_len)) errors.push(`${where}: length must be >= ${String(r.min_len)}`);
  if (r.max_len !== undefined && len > Number(r.max_len)) errors.push(`${where}: length must be <= ${String(r.max_len)}`);
  if (r.min_bytes !== undefined && bytes < Number(r.min_bytes)) errors.push(`${where}: must have >= ${String(r.min_bytes)} bytes`);
  if (r.max_bytes !== undefined && bytes > Number(r.max_bytes)) errors.push(`${where}: must have <= ${String(r.max_bytes)} bytes`);
  if (Array.isArray(r.in) && !r.in.includes(v)) errors.push(`${where}: must be one of ${r.in.join(', ')}`);
}

function checkDuration(m: ReflectMessage, r: Rules, where: string, errors: string[]): void {
  const v = toNanos({ seconds: m.get(m.desc.field.seconds as DescField & { fieldKind: 'scalar' }) as bigint, nanos: m.get(m.desc.field.nanos as DescField & { fieldKind: 'scalar' }) as number });
  const s = (d: unknown): string => `${Number(toNanos(d)) / 1e9}s`;
  if (r.gt !== undefined && !(v > toNanos(r.gt))) errors.push(`${where}: duration must be > ${s(r.gt)}`);
  if (r.gte !== undefined && !(v >= toNanos(r.gte))) errors.push(`${where}: duration must be >= ${s(r.gte)}`);
  if (r.lt !== undefined && !(v < toNanos(r.lt))) errors.push(`${where}: duration must be < ${s(r.lt)}`);
  if (r.lte !== undefined && !(v <= toNanos(r.lte))) errors.push(`${where}: duration must be <= ${s(r.lte)}`);
}

const SCALAR_RULE_KEYS = ['string', 'bytes', 'bool', 'double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64'];

function scalarRules(r: Rules): Rules | undefined {
  for (const k of SCALAR_RULE_KEYS) if (r[k] && typeof r[k] === 'object') return r[k] as Rules;
  return undefined;
}

function checkValue(value: unknown, field: DescField, rules: Rules | undefined, where: string, ctx: Ctx): void {
  if (field.fieldKind === 'scalar' || (field.fieldKind === 'list' && field.listKind === 'scalar')) {
    const sr = rules ? scalarRules(rules) : undefined;
    if (!sr) return;
    if (sr.ignore_empty && (value === '' || value === 0 || value === 0n || value === false)) return;
    if (typeof value === 'string') checkString(value, sr, where, ctx.errors);
    else if (typeof value === 'number' || typeof value === 'bigint') checkNumber(value, sr, where, ctx.errors);
    return;
  }
  if (field.fieldKind === 'enum' || (field.fieldKind === 'list' && field.listKind === 'enum')) {
    const er = rules?.enum as Rules | undefined;
    const en = field.enum;
    if (er?.defined_only && en && !en.values.some((v) => v.number === value)) ctx.errors.push(`${where}: ${String(value)} is not a value of ${en.typeName}`);
    if (er) checkNumber(value as number, er, where, ctx.errors);
    return;
  }
  // A message (singular, list item or map value).
  const m = value as ReflectMessage;
  const wkt = m.desc.typeName;
  if (wkt === 'google.protobuf.Duration' && rules?.duration) checkDuration(m, rules.duration as Rules, where, ctx.errors);
  else if (wkt.startsWith('google.protobuf.') && wkt.endsWith('Value') && rules) {
    const inner = m.desc.fields[0];
    const sr = scalarRules(rules);
    if (inner && sr) {
      const v = m.get(inner);
      if (typeof v === 'string') checkString(v, sr, where, ctx.errors);
      else if (typeof v === 'number' || typeof v === 'bigint') checkNumber(v, sr, where, ctx.errors);
    }
  }
  if ((rules?.message as Rules | undefined)?.skip) return;
  walk(m, where, ctx);
}

interface Ctx {
  registry: Registry;
  root: protobuf.Root;
  errors: string[];
}

function walk(m: ReflectMessage, where: string, ctx: Ctx): void {
  const desc = m.desc;
  if (desc.typeName === 'google.protobuf.Any') {
    const any = m.message as unknown as Any;
    const inner = anyUnpack(any, ctx.registry);
    if (!inner) ctx.errors.push(`${where}: ${any.typeUrl} is not in the registry`);
    else walk(reflect(ctx.registry.getMessage(inner.$typeName) as DescMessage, inner), `${where}<${inner.$typeName.split('.').pop() ?? ''}>`, ctx);
    return;
  }
  if (desc.typeName.startsWith('google.protobuf.')) return;
  let ptype: protobuf.Type;
  try {
    ptype = ctx.root.lookupType(desc.typeName);
  } catch {
    return; // a type the protobufjs root does not know (e.g. registered elsewhere)
  }
  const mopts = rulesOf(ptype, '(validate.disabled)') ?? rulesOf(ptype, '(validate.ignored)');
  if (mopts !== undefined || ptype.options?.['(validate.disabled)'] || ptype.options?.['(validate.ignored)']) return;
  for (const oneof of desc.oneofs) {
    const po = ptype.oneofs?.[oneof.name];
    if (po?.options?.['(validate.required)'] && !m.oneofCase(oneof)) ctx.errors.push(`${where}: exactly one of [${oneof.fields.map((f) => f.name).join(', ')}] is required`);
  }
  for (const field of desc.fields) {
    const pf = ptype.fields[field.name];
    const rules = rulesOf(pf, '(validate.rules)');
    const at = where ? `${where}.${field.name}` : field.name;
    if (field.oneof && m.oneofCase(field.oneof) !== field) continue; // oneof rules apply to the chosen member only
    const set = m.isSet(field);
    if (field.fieldKind === 'message') {
      if ((rules?.message as Rules | undefined)?.required && !set) ctx.errors.push(`${at}: is required`);
      if (field.message.typeName === 'google.protobuf.Duration' && (rules?.duration as Rules | undefined)?.required && !set) ctx.errors.push(`${at}: is required`);
      if (field.message.typeName === 'google.protobuf.Any' && (rules?.any as Rules | undefined)?.required && !set) ctx.errors.push(`${at}: is required`);
      if (set) checkValue(m.get(field), field, rules, at, ctx);
      continue;
    }
    if (field.fieldKind === 'list') {
      const list = m.get(field);
      const rr = rules?.repeated as Rules | undefined;
      if (rr?.min_items !== undefined && list.size < Number(rr.min_items)) ctx.errors.push(`${at}: must have at least ${String(rr.min_items)} item(s)`);
      if (rr?.max_items !== undefined && list.size > Number(rr.max_items)) ctx.errors.push(`${at}: must have at most ${String(rr.max_items)} item(s)`);
      let i = 0;
      for (const item of list) {
        checkValue(item, field, rr?.items as Rules | undefined, `${at}[${i}]`, ctx);
        i++;
      }
      continue;
    }
    if (field.fieldKind === 'map') {
      const map = m.get(field);
      const mr = rules?.map as Rules | undefined;
      if (mr?.min_pairs !== undefined && map.size < Number(mr.min_pairs)) ctx.errors.push(`${at}: must have at least ${String(mr.min_pairs)} entr(ies)`);
      if (field.mapKind === 'message') for (const [k, v] of map) walk(v as ReflectMessage, `${at}[${String(k)}]`, ctx);
      continue;
    }
    checkValue(m.get(field), field, rules, at, ctx);
  }
}

// ---------------------------------------------------------------- entry points

export interface EnvoyValidation {
  ok: boolean;
  errors: string[];
  message?: Message;
}

/** Validates a bootstrap given as a parsed YAML/JSON document. */
export function validateBootstrapDoc(doc: unknown, reg: EnvoyRegistry = envoyRegistry()): EnvoyValidation {
  let message: Message;
  try {
    message = fromJson(reg.bootstrap, doc as JsonValue, { registry: reg.registry });
  } catch (e) {
    return { ok: false, errors: [`decode: ${(e as Error).message}`] };
  }
  const ctx: Ctx = { registry: reg.registry, root: reg.root, errors: [] };
  walk(reflect(reg.bootstrap, message), '', ctx);
  return { ok: ctx.errors.length === 0, errors: ctx.errors, message };
}

export function validateBootstrapYaml(text: string, reg: EnvoyRegistry = envoyRegistry()): EnvoyValidation {
  return validateBootstrapDoc(parseYaml(text), reg);
}
