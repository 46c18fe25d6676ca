/**
 * Hostile requests for every operation of the OpenAPI document (fast-check arbitraries): edge
 * values for each body field, query parameter, path id and header the document names, whole
 * bodies of the wrong kind, odd Content-Types and Content-Encodings, several callers of both
 * tenants. A case says which dimension is hostile (`dimension`), so a crash or a hang found by one
 * request can be told apart from the rest of the run.
 */
import { gzipSync, deflateSync } from "node:zlib";
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { OpenApiDocument, OpenApiOperation } from "./openapi.js";

/** Who sends: the demo callers (several roles, both tenants), nobody, and a forged token. */
export const CALLERS = ["megan", "adele", "lee", "diego", "nestor", "anonymous", "forged"] as const;
export type Caller = (typeof CALLERS)[number];

export interface FuzzCase {
  /** `METHOD /documented/path`. */
  operation: string;
  method: string;
  /** As it goes on the request line (percent-escapes and all). */
  path: string;
  caller: Caller;
  headers: Record<string, string>;
  body?: Buffer;
  /** The hostile part: `body:field`, `key:slash`, `encoding:gzip-garbage`, … */
  dimension: string;
  /** Over a size limit: the body over the API's 5 MiB, or the request line and headers over Node's 16 KiB (HTTP then allows closing the connection). */
  overLimit: boolean;
}

/** Values that a running app knows (a card of each tenant, users, the guard as it is). */
export interface FuzzContext {
  paymentMethodIds: string[];
  userIds: string[];
  seeds: Record<string, unknown>;
}

export const BODY_LIMIT = 5 * 1024 * 1024;
/** Node's --max-http-header-size default: the request line and every header together. */
export const HEADER_LIMIT = 16 * 1024;

function overLimit(path: string, headers: Record<string, string>, body: Buffer | undefined): boolean {
  const head = path.length + Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0) + 1_200; // + the token and the request line
  return (body?.length ?? 0) > BODY_LIMIT || head > HEADER_LIMIT;
}

type Schema = Record<string, unknown>;

function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; i < 10 && typeof s.$ref === "string"; i++) {
    s = s.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<any>((node, part) => node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], doc) as Schema;
  }
  return s;
}

/** A plausible valid value of a JSON Schema (the seeds table gives the semantically right ones). */
export function validOf(doc: OpenApiDocument, raw: Schema | undefined): unknown {
  const schema = resolve(doc, raw);
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (options) return validOf(doc, options.find((o) => resolve(doc, o).type !== "null") ?? options[0]);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((name) => [name, validOf(doc, properties[name])]));
    }
    case "array":
      return Number(schema.minItems ?? 0) > 0 ? [validOf(doc, schema.items as Schema)] : [];
    case "integer":
    case "number":
      return Math.max(Number(schema.minimum ?? 1), 1);
    case "boolean":
      return false;
    case "string":
      if (schema.format === "date-time") return new Date().toISOString();
      if (typeof schema.pattern === "string") return fc.sample(fc.stringMatching(new RegExp(schema.pattern)), { seed: 1, numRuns: 1 })[0];
      return "x".repeat(Math.max(Number(schema.minLength ?? 1), 1));
    default:
      return {};
  }
}

/** The characters that reached the store raw, and their friends. */
const AWKWARD = ["?", "/", "\\", "#", "%", "%2F", "%23", "%3F", "%00", "..", ".", " ", "+", "&", "=", ";", "'", '"', "<", ">", "{", "}", "|", "^", "`", "*", ":", "@"];

/** Strings at the edges: empty, huge, unicode, control characters, the awkward characters, look-alikes of numbers. */
export const edgeString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\t",
    "null",
    "true",
    "0",
    "-1",
    "1e309",
    "0x2FAF080",
    "5e7",
    "NaN",
    "Infinity",
    "__proto__",
    "constructor",
    "tok_visa",
    "pm-",
    "a/b",
    "a?b",
    "a#b",
    "a\\b",
    "a%b",
    "a%2Fb",
    "../..",
    "\u0000",
    "\u202e",
    "\ufeff",
    "é",
    "😀",
    "𝕏",
    "\r\n",
    "x".repeat(256),
    "x".repeat(70_000),
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary-ascii", maxLength: 40 }),
  fc.array(fc.constantFrom(...AWKWARD, "a", "1"), { minLength: 1, maxLength: 12 }).map((parts) => parts.join("")),
);

/** JSON values at the edges: wrong types, huge and tiny numbers, deep and wide structures. */
export const edgeJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 2 ** 53, -(2 ** 53), 2 ** 63, 1e308, -1e308, 5e-324, [], {}, [null], { "": null }),
  edgeString,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 4 }),
  fc.integer({ min: 30, max: 40 }).map((depth) => nest(depth)),
  fc.constant(Array.from({ length: 5_000 }, (_, i) => i)),
);

function nest(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** Bodies that are not JSON, or JSON that a parser may choke on. */
const rawBodies: fc.Arbitrary<{ name: string; bytes: Buffer }> = fc.oneof(
  fc.constantFrom(
    { name: "truncated", bytes: Buffer.from('{"amountMicros": 1') },
    { name: "trailing", bytes: Buffer.from('{"a":1} x') },
    { name: "bom", bytes: Buffer.from('\ufeff{"a":1}') },
    { name: "nul", bytes: Buffer.from('{"a":"\u0000"}\u0000') },
    { name: "bignum", bytes: Buffer.from('{"amountMicros": 1e999}') },
    { name: "dupkeys", bytes: Buffer.from('{"amountMicros": 1, "amountMicros": 50000000}') },
    { name: "proto", bytes: Buffer.from('{"__proto__": {"admin": true}, "constructor": {"prototype": {}}}') },
    { name: "lone-surrogate", bytes: Buffer.from('{"a":"\\ud800"}') },
    { name: "latin1", bytes: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]) },
    { name: "utf16", bytes: Buffer.from('{"a":1}', "utf16le") },
    { name: "deep-100k", bytes: Buffer.from("[".repeat(100_000) + "]".repeat(100_000)) },
    { name: "empty", bytes: Buffer.alloc(0) },
    { name: "form", bytes: Buffer.from("amountMicros=50000000&token=tok_visa") },
  ),
  fc.uint8Array({ maxLength: 200 }).map((a) => ({ name: "bytes", bytes: Buffer.from(a) })),
  fc.string({ unit: "binary", maxLength: 200 }).map((s) => ({ name: "text", bytes: Buffer.from(s) })),
);

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "application/merge-patch+json",
  "application/octet-stream",
  "*/*",
  "application/json; charset=klingon",
  "",
];

/** How a body may be encoded: identity, valid gzip/deflate, and bytes that only claim to be. */
const ENCODINGS = ["gzip", "gzip-garbage", "deflate", "deflate-garbage", "br-garbage", "identity", "x-unknown", "gzip-twice-claimed", "gzip-bomb"] as const;
type Encoding = (typeof ENCODINGS)[number];

let bomb: Buffer | undefined;
function encode(encoding: Encoding, bytes: Buffer): { header: string; bytes: Buffer } {
  switch (encoding) {
    case "gzip":
      return { header: "gzip", bytes: gzipSync(bytes) };
    case "gzip-garbage":
      return { header: "gzip", bytes };
    case "deflate":
      return { header: "deflate", bytes: deflateSync(bytes) };
    case "deflate-garbage":
      return { header: "deflate", bytes };
    case "br-garbage":
      return { header: "br", bytes };
    case "identity":
      return { header: "identity", bytes };
    case "x-unknown":
      return { header: "x-unknown", bytes };
    case "gzip-twice-claimed":
      return { header: "gzip, gzip", bytes: gzipSync(bytes) };
    case "gzip-bomb":
      // 64 MiB of spaces in about 64 KiB: over the body limit only once decoded.
      bomb ??= gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
      return { header: "gzip", bytes: bomb };
  }
}

/** Idempotency-Keys at the edges: the awkward characters (valid per API.md), the length limits, reuse. */
const edgeKey: fc.Arbitrary<{ name: string; key: string }> = fc.oneof(
  fc.constantFrom("?", "/", "\\", "#", "%").chain((c) => fc.constantFrom({ name: `char-${c}`, key: `k${c}${randomUUID().slice(0, 8)}` }, { name: `only-${c}`, key: c.repeat(3) })),
  fc.constantFrom(
    { name: "len-255", key: "k".repeat(255) },
    { name: "len-256", key: "k".repeat(256) },
    { name: "empty", key: "" },
    { name: "space", key: "a b" },
    { name: "latin1", key: "clé" },
    { name: "percent", key: "%2F%23%3F" },
    { name: "dots", key: ".." },
    { name: "fixed", key: "fuzz-shared-key" },
  ),
);

export interface Shapes {
  method: string;
  template: string;
  op: OpenApiOperation;
}

/** Every operation of the document, in a stable order. */
export function operationsOf(doc: OpenApiDocument): Shapes[] {
  return Object.entries(doc.paths)
    .flatMap(([template, item]) => Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), template, op })))
    .sort((a, b) => `${a.template} ${a.method}`.localeCompare(`${b.template} ${b.method}`));
}

function pathArb(shape: Shapes, ctx: FuzzContext): fc.Arbitrary<{ path: string; hostile: boolean }> {
  const names = [...shape.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  if (names.length === 0) return fc.constant({ path: shape.template, hostile: false });
  const known = [...ctx.paymentMethodIds, ...ctx.userIds];
  const value = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...known).map((v) => ({ v, hostile: false })) },
    { weight: 3, arbitrary: edgeString.filter((s) => s.length > 0 && s.length < 5_000).map((v) => ({ v, hostile: true })) },
  );
  const escape = fc.constantFrom<"component" | "uri" | "raw" | "double">("component", "component", "uri", "raw", "double");
  return fc.tuple(value, escape).map(([{ v, hostile }, how]) => {
    const written = how === "component" ? encodeURIComponent(v) : how === "uri" ? encodeURI(v) : how === "double" ? encodeURIComponent(encodeURIComponent(v)) : v;
    let path = shape.template;
    for (const name of names) path = path.replace(`{${name}}`, written);
    return { path, hostile };
  });
}

function queryArb(doc: OpenApiDocument, shape: Shapes): fc.Arbitrary<string> {
  const params = (shape.op.parameters ?? []).filter((p) => p.in === "query");
  const names = [...params.map((p) => p.name), "limit", "cursor", "unknown"];
  const valueOf = (name: string) => {
    const param = params.find((p) => p.name === name);
    return fc.oneof(edgeString, param ? fc.constant(String(validOf(doc, param.schema) ?? "")) : edgeString);
  };
  const pair = fc.constantFrom(...names).chain((name) => valueOf(name).map((value) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant("") },
    { weight: 4, arbitrary: fc.array(pair, { minLength: 1, maxLength: 4 }).map((pairs) => `?${pairs.join("&")}`) },
    { weight: 1, arbitrary: fc.constantFrom("?", "?&&", "?limit", "?limit=1&limit=2", "?=x", "?%zz=1", "?limit=%", "?a[b]=1", "?__proto__=1", "?cursor=" + "x".repeat(4_000)) },
  );
}

type BodyPlan = { name: string; json?: unknown; raw?: Buffer };

function bodyArb(doc: OpenApiDocument, shape: Shapes, ctx: FuzzContext): fc.Arbitrary<BodyPlan | undefined> {
  const content = shape.op.requestBody?.content["application/json"];
  if (!content) return fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: edgeJson.map((json) => ({ name: "body:unexpected", json })) });
  const schema = resolve(doc, content.schema);
  const seed = ctx.seeds[`${shape.method} ${shape.template}`] ?? validOf(doc, schema);
  const base = (typeof seed === "object" && seed !== null && !Array.isArray(seed) ? seed : {}) as Record<string, unknown>;
  const fields = Object.keys((schema.properties ?? {}) as object);
  const mutations: fc.Arbitrary<BodyPlan>[] = [
    fc.constant({ name: "body:valid", json: seed }),
    fc.tuple(fc.constantFrom(...(fields.length ? fields : ["x"])), edgeJson).map(([field, value]) => ({ name: "body:field", json: { ...base, [field]: value } })),
    fc.constantFrom(...(fields.length ? fields : ["x"])).map((field) => ({ name: "body:missing", json: Object.fromEntries(Object.entries(base).filter(([k]) => k !== field)) })),
    fc.tuple(edgeString, edgeJson).map(([field, value]) => ({ name: "body:extra", json: { ...base, [field]: value } })),
    edgeJson.map((json) => ({ name: "body:whole", json })),
    rawBodies.map(({ name, bytes }) => ({ name: `body:raw-${name}`, raw: bytes })),
  ];
  // Inside arrays of the body (usage records, channels, blocked lists): one element at the edge.
  for (const field of fields.filter((f) => resolve(doc, (schema.properties as Record<string, Schema>)[f]).type === "array")) {
    mutations.push(fc.array(edgeJson, { minLength: 1, maxLength: 3 }).map((items) => ({ name: "body:items", json: { ...base, [field]: items } })));
  }
  return fc.oneof(...mutations);
}

/** The arbitrary of one operation's cases. */
export function casesOf(doc: OpenApiDocument, shape: Shapes, ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  const money = shape.op.parameters?.some((p) => p.in === "header" && p.name === "Idempotency-Key") ?? false;
  const key = money
    ? fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: edgeKey }, { weight: 1, arbitrary: fc.constant({ name: "missing", key: "" }) })
    : fc.constant(undefined);
  const encoding = fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...ENCODINGS) });
  const contentType = fc.oneof({ weight: 5, arbitrary: fc.constant("application/json") }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) });
  const language = fc.constantFrom(undefined, "fr-FR", "fr;q=0.5, en;q=0.8", "xx-invalid;q=abc", "*");
  return fc
    .record({
      caller: fc.oneof({ weight: 4, arbitrary: fc.constantFrom<Caller>("megan", "nestor") }, { weight: 3, arbitrary: fc.constantFrom(...CALLERS) }),
      path: pathArb(shape, ctx),
      query: queryArb(doc, shape),
      body: bodyArb(doc, shape, ctx),
      key,
      encoding,
      contentType,
      language,
    })
    .map(({ caller, path, query, body, key, encoding, contentType, language }) => {
      const headers: Record<string, string> = {};
      let bytes = body === undefined ? undefined : (body.raw ?? Buffer.from(JSON.stringify(body.json) ?? "null"));
      if (bytes && contentType) headers["content-type"] = contentType;
      let dimension = body?.name ?? (path.hostile ? "path:id" : query ? "query" : "plain");
      if (path.hostile) dimension = "path:id";
      if (money) {
        if (key === undefined) headers["idempotency-key"] = randomUUID();
        else {
          if (key.name !== "missing") headers["idempotency-key"] = key.key;
          dimension = `key:${key.name}`;
        }
      }
      if (encoding && bytes) {
        const encoded = encode(encoding, bytes);
        headers["content-encoding"] = encoded.header;
        bytes = encoded.bytes;
        dimension = `encoding:${encoding}`;
      }
      if (language) headers["accept-language"] = language;
      return {
        operation: `${shape.method} ${shape.template}`,
        method: shape.method,
        path: path.path + query,
        caller,
        headers,
        body: bytes,
        dimension,
        overLimit: overLimit(path.path + query, headers, bytes),
      };
    });
}

/**
 * Cases every run sends whatever the seed, once per operation: the findings of issue 17 that a
 * sample might miss. Ids with the characters a store id cannot hold; Idempotency-Keys with them,
 * each sent twice (the second is a replay: it must answer, and answer the same); bodies that only
 * claim an encoding, and a decompression bomb; a body over the limit, one just under, one 5,000 deep.
 */
export function fixedCasesOf(doc: OpenApiDocument, shape: Shapes, ctx: FuzzContext): FuzzCase[] {
  const money = shape.op.parameters?.some((p) => p.in === "header" && p.name === "Idempotency-Key") ?? false;
  const operation = `${shape.method} ${shape.template}`;
  const seed = shape.op.requestBody ? Buffer.from(JSON.stringify(ctx.seeds[operation] ?? validOf(doc, shape.op.requestBody.content["application/json"]?.schema))) : undefined;
  const of = (dimension: string, options: { path?: string; body?: Buffer; headers?: Record<string, string> } = {}): FuzzCase => {
    const body = options.body ?? seed;
    const headers = { ...(body ? { "content-type": "application/json" } : {}), ...(money ? { "idempotency-key": randomUUID() } : {}), ...options.headers };
    const path = options.path ?? shape.template;
    return { operation, method: shape.method, path, caller: "megan", headers, body, dimension, overLimit: overLimit(path, headers, body) };
  };
  const cases: FuzzCase[] = [];
  const names = [...shape.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  for (const id of names.length ? ["a/b", "a#b", "a?b", "a\\b", "a%b", "a b", "é", "..", "%2F"] : []) {
    cases.push(of("path:id", { path: names.reduce((path, name) => path.replace(`{${name}}`, encodeURIComponent(id)), shape.template) }));
  }
  if (money) {
    for (const c of ["?", "/", "\\", "#", "%"]) {
      const key = `fixed${c}${randomUUID().slice(0, 8)}`;
      cases.push(of(`key:char-${c}`, { headers: { "idempotency-key": key } }), of(`key:char-${c}`, { headers: { "idempotency-key": key } }));
    }
  }
  if (seed) {
    for (const encoding of ["gzip-garbage", "deflate-garbage", "br-garbage", "gzip-bomb"] as const) {
      const encoded = encode(encoding, seed);
      cases.push(of(`encoding:${encoding}`, { body: encoded.bytes, headers: { "content-encoding": encoded.header } }));
    }
    const padded = (bytes: number) => Buffer.from(JSON.stringify({ pad: "x".repeat(bytes) }));
    cases.push(
      of("size:over-limit", { body: padded(BODY_LIMIT + 1024) }),
      of("size:under-limit", { body: padded(BODY_LIMIT - 1024) }),
      of("size:deep", { body: Buffer.from(`${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`) }),
    );
  }
  return cases;
}
