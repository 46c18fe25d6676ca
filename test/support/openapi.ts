/**
 * The API's OpenAPI document as the tests read it: which documented operation a request hit, and
 * whether an answer is one the document says that operation gives (its status, its media type and,
 * for JSON, its schema, checked with ajv's JSON Schema 2020-12 validator, OpenAPI 3.1's dialect).
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: Record<string, unknown>;
}

export interface OpenApiOperation {
  operationId: string;
  parameters?: { in: string; name: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown>; "x-body-optional"?: boolean }>;
  "x-roles": string[];
  "x-role-ids": string[];
  "x-access": string;
  "x-permission"?: string;
  "x-moves-money"?: boolean;
}

export interface AnswerSeen {
  status: number;
  contentType: string | null;
  body: unknown;
  headers?: { get(name: string): string | null };
}

/** Where ajv keeps the document, so the answer schemas' `#/components/…` references resolve in it. */
const DOCUMENT_ID = "https://credits.example/openapi.json";

/** `/api/v1/licenses/{userId}` → a RegExp for concrete paths (a segment of anything but `/`). */
function matcherOf(template: string): RegExp {
  // `[^/]*`: restify routes `/payment-methods/` to `/payment-methods/:id` with an empty id, and so must the check.
  return new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]*")}$`);
}

export class ContractChecker {
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: { template: string; matcher: RegExp }[];

  constructor(readonly doc: OpenApiDocument) {
    // strict: false: the document carries OpenAPI keywords (x-…, example) beside JSON Schema.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats.default(this.ajv);
    this.ajv.addSchema({ ...doc, $id: DOCUMENT_ID } as object);
    // Literal paths before templated ones, so /a/b wins over /a/{id}.
    this.templates = Object.keys(doc.paths)
      .sort((a, b) => Number(a.includes("{")) - Number(b.includes("{")))
      .map((template) => ({ template, matcher: matcherOf(template) }));
  }

  /** The documented path a concrete path (without its query) belongs to. */
  templateOf(path: string): string | undefined {
    // The query and the fragment (which never leaves the client) are not the path.
    const bare = path.split(/[?#]/)[0];
    const find = (candidate: string) => this.templates.find((t) => t.matcher.test(candidate))?.template;
    // As restify routes: a path as it is first, then without one trailing slash (its default, non-strict routing).
    return find(bare) ?? (bare.length > 1 && bare.endsWith("/") ? find(bare.slice(0, -1)) : undefined);
  }

  operation(method: string, template: string): OpenApiOperation | undefined {
    return this.doc.paths[template]?.[method.toLowerCase()];
  }

  /** What is wrong with this answer of `method path` according to the document; [] when nothing. */
  problemsWith(method: string, path: string, answer: AnswerSeen): string[] {
    const template = this.templateOf(path);
    const op = template && this.operation(method, template);
    if (!template || !op) {
      // An address the API does not have: the only right answers are a problem saying so, or that
      // the address itself is malformed (400, before routing).
      const unknown = [400, 404, 405].includes(answer.status) && (answer.contentType ?? "").startsWith("application/problem+json");
      return unknown ? [] : [`${method} ${path} is not in the document and answered ${answer.status}`];
    }
    // Node's own HTTP parser answers a request line HTTP does not allow (raw non-ASCII, say) with a
    // bare 400 before restify sees it, as it answers 431 for headers over 16 KiB.
    if (answer.status === 400 && !answer.contentType && (answer.body === undefined || answer.body === "")) return [];
    const documented = op.responses[String(answer.status)];
    if (!documented) return [`${method} ${template} answered ${answer.status}, which the document does not list (${Object.keys(op.responses).join(", ")})`];
    if (answer.status === 429 && !answer.headers?.get("retry-after")) return [`${method} ${template} answered 429 without Retry-After`];
    const empty = answer.body === undefined || answer.body === "";
    if (!documented.content) return empty ? [] : [`${method} ${template} ${answer.status} has a body the document does not give it`];
    if (empty && documented["x-body-optional"]) return [];
    const mediaType = (answer.contentType ?? "").split(";")[0].trim();
    if (!(mediaType in documented.content)) return [`${method} ${template} ${answer.status} came as ${mediaType}, documented as ${Object.keys(documented.content).join(", ")}`];
    if (!mediaType.endsWith("json")) return [];
    const validate = this.validatorFor(template, method, answer.status, mediaType);
    if (validate(answer.body)) return [];
    return (validate.errors ?? []).map((e) => `${method} ${template} ${answer.status}: ${e.instancePath || "(body)"} ${e.message} ${JSON.stringify(e.params)}`);
  }

  private validatorFor(template: string, method: string, status: number, mediaType: string): ValidateFunction {
    const pointer = ["paths", template, method.toLowerCase(), "responses", String(status), "content", mediaType, "schema"]
      .map((p) => encodeURIComponent(p.replace(/~/g, "~0").replace(/\//g, "~1")))
      .join("/");
    const ref = `${DOCUMENT_ID}#/${pointer}`;
    let validate = this.validators.get(ref);
    if (!validate) this.validators.set(ref, (validate = this.ajv.compile({ $ref: ref })));
    return validate;
  }
}
