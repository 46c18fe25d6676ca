/**
 * Microsoft's rules for an Adaptive Card, as the tests apply them to every card the bot sends:
 *
 * 1. The Adaptive Cards 1.5 JSON schema. No npm package ships adaptivecards.io's
 *    `schemas/1.5.0/adaptive-card.json` (the designer package carries only a 1.0-era copy), and
 *    nothing may be downloaded at test time. So the schema is built here from the definitions that
 *    Microsoft's own `adaptivecards` package (3.0.x, the renderer Teams' web client and the Agents
 *    Playground embed) registers for each element and action: every type and property with the
 *    version it arrived in, enum and value-set members, collection item types. Kept: what exists
 *    in 1.5 or earlier. Added by hand from the published 1.5 schema: the structural properties the
 *    package parses in code rather than registers (body, actions, items, columns, card, fallback)
 *    and the required properties. Every object is closed (additionalProperties: false), so a
 *    misspelt or made-up property, a 1.6 property or element, a wrong enum value or a wrong JSON
 *    type fails, as they fail the published schema.
 * 2. The `adaptivecards` renderer itself: parsed for version 1.5 with no parse event and no
 *    validation event, and rendered into a DOM (jsdom).
 *
 * Plus what neither catches: a template expression left unexpanded, undefined/NaN, and an
 * Action.Execute or Action.Submit data field named `key` (Agents Playground crashes on it).
 */
import { Ajv, type ErrorObject } from "ajv";
import { createRequire } from "node:module";
import * as AC from "adaptivecards";

type Json = Record<string, unknown>;
type PropertyLike = {
  name: string;
  targetVersion: AC.Version;
  constructor: { name: string };
  values?: { value: unknown; targetVersion?: AC.Version }[];
  enumType?: Record<string, string | number>;
  objectType?: new () => AC.SerializableObject;
  regEx?: RegExp;
};

const V15 = AC.Versions.v1_5;
const inV15 = (v: AC.Version | undefined) => v === undefined || AC.isVersionLessOrEqual(v, V15);

/** Adaptive Cards compares enum names case-insensitively ("Bolder", "bolder"); so does the published schema. */
const anyCase = (names: string[]) => ({
  type: "string",
  pattern: `^(?:${names.map((n) => [...n].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("")).join("|")})$`,
});

const REF = (name: string) => ({ $ref: `#/definitions/${name}` });
const ELEMENT = REF("Element");
const ACTION = REF("Action");

/** Required properties, as the published 1.5 schema lists them. */
const REQUIRED: Record<string, string[]> = {
  TextBlock: ["text"],
  TextRun: ["text"],
  RichTextBlock: ["inlines"],
  Image: ["url"],
  ImageSet: ["images"],
  Media: ["sources"],
  FactSet: ["facts"],
  Fact: ["title", "value"],
  ColumnSet: [],
  Container: ["items"],
  ActionSet: ["actions"],
  "Input.Text": ["id"],
  "Input.Number": ["id"],
  "Input.Date": ["id"],
  "Input.Time": ["id"],
  "Input.Toggle": ["id", "title"],
  "Input.ChoiceSet": ["id"],
  "Action.OpenUrl": ["url"],
  "Action.ShowCard": [],
  "Action.ToggleVisibility": ["targetElements"],
  Refresh: ["action"],
};

/** What the package parses in code, not through its registered properties (per the published schema). */
const STRUCTURE: Record<string, Json> = {
  AdaptiveCard: { body: { type: "array", items: ELEMENT }, actions: { type: "array", items: ACTION }, minHeight: { type: "string", pattern: "^\\d+px$" } },
  Container: { items: { type: "array", items: ELEMENT } },
  Column: { items: { type: "array", items: ELEMENT }, fallback: { anyOf: [REF("Column"), { const: "drop" }] } },
  ColumnSet: { columns: { type: "array", items: REF("Column") } },
  ActionSet: { actions: { type: "array", items: ACTION } },
  "Action.ShowCard": { card: REF("ShowCardBody") },
  "Action.Submit": { data: { type: ["string", "object"] } },
  "Action.Execute": { data: { type: ["string", "object"] }, associatedInputs: anyCase(["Auto", "None"]) },
  "Action.ToggleVisibility": { targetElements: { type: "array", items: { anyOf: [{ type: "string" }, { type: "object" }] } } },
  "Input.ChoiceSet": {
    choices: {
      type: "array",
      items: { type: "object", properties: { title: { type: "string" }, value: { type: "string" } }, required: ["title", "value"], additionalProperties: false },
    },
  },
};

function propertySchema(owner: string, p: PropertyLike): Json {
  const kind = p.constructor.name;
  if (STRUCTURE[owner]?.[p.name]) return STRUCTURE[owner][p.name] as Json;
  switch (kind) {
    case "StringProperty":
      return p.regEx ? { type: "string", pattern: p.regEx.source.replace("[a-z]", "[a-zA-Z]") } : { type: "string" };
    case "BoolProperty":
      return { type: "boolean" };
    case "NumProperty":
      return { type: "number" };
    case "PixelSizeProperty":
      return { type: "string", pattern: "^\\d+px$" };
    case "StringArrayProperty":
      return { type: "array", items: { type: "string" } };
    case "ContainerStyleProperty":
      return anyCase(["default", "emphasis", "good", "attention", "warning", "accent"]);
    case "EnumProperty": {
      const names = (p.values ?? []).filter((v) => inV15(v.targetVersion)).map((v) => String(p.enumType?.[v.value as number]));
      return anyCase(names);
    }
    case "ValueSetProperty":
      return anyCase((p.values ?? []).filter((v) => inV15(v.targetVersion)).map((v) => String(v.value)));
    case "ActionProperty":
      return REF("SelectAction");
    case "RefreshActionProperty":
      return REF("Action.Execute");
    case "SerializableObjectProperty":
    case "SerializableObjectCollectionProperty": {
      const name = p.objectType?.name ?? "";
      const item = name === "HostCapabilities" ? { type: "object", additionalProperties: { type: "string" } } : objectSchema(name, new p.objectType!());
      return kind === "SerializableObjectProperty" ? item : { type: "array", items: item };
    }
    default:
      // CustomProperty and plain PropertyDefinition: the package parses these in code; the
      // published schema's shape for the ones cards use is in STRUCTURE above.
      return {};
  }
}

function objectSchema(typeName: string, instance: AC.SerializableObject, isTyped = false): Json {
  const schema = instance.getSchema();
  const properties: Record<string, Json> = {};
  for (let i = 0; i < schema.getCount(); i++) {
    const p = schema.getItemAt(i) as unknown as PropertyLike;
    if (!inV15(p.targetVersion)) continue;
    properties[p.name] = propertySchema(typeName, p);
  }
  for (const [name, shape] of Object.entries(STRUCTURE[typeName] ?? {})) properties[name] = shape as Json;
  if (isTyped) {
    properties.type = { const: typeName };
    properties.fallback ??= typeName.startsWith("Action.") ? { anyOf: [ACTION, { const: "drop" }] } : { anyOf: [ELEMENT, { const: "drop" }] };
  }
  const key = typeName === "RefreshDefinition" ? "Refresh" : typeName;
  return { type: "object", properties, required: [...(isTyped ? ["type"] : []), ...(REQUIRED[key] ?? [])], additionalProperties: false };
}

/** The Adaptive Cards 1.5 schema, from the package's registry (see the file comment). */
export function adaptiveCard15Schema(): Json {
  const definitions: Record<string, Json> = {};
  const elements: string[] = [];
  const actions: string[] = [];
  const registry = AC.GlobalRegistry;
  for (let i = 0; i < registry.elements.getItemCount(); i++) {
    const item = registry.elements.getItemAt(i);
    if (!inV15(item.schemaVersion)) continue;
    elements.push(item.typeName);
    definitions[item.typeName] = objectSchema(item.typeName, new item.objectType(), true);
  }
  for (let i = 0; i < registry.actions.getItemCount(); i++) {
    const item = registry.actions.getItemAt(i);
    if (!inV15(item.schemaVersion)) continue;
    actions.push(item.typeName);
    definitions[item.typeName] = objectSchema(item.typeName, new item.objectType(), true);
  }
  definitions.Column = objectSchema("Column", new AC.Column(), true);
  definitions.Column.required = [];
  const oneOfType = (names: string[]) => ({
    type: "object",
    required: ["type"],
    properties: { type: { enum: names } },
    allOf: names.map((n) => ({ if: { properties: { type: { const: n } } }, then: REF(n) })),
  });
  definitions.Element = oneOfType(elements);
  definitions.Action = oneOfType(actions);
  definitions.SelectAction = oneOfType(actions.filter((a) => a !== "Action.ShowCard"));
  const card = objectSchema("AdaptiveCard", new AC.AdaptiveCard());
  const cardProperties = card.properties as Record<string, Json>;
  cardProperties.type = { const: "AdaptiveCard" };
  cardProperties.$schema = { type: "string" };
  cardProperties.version = { enum: ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5"] };
  definitions.AdaptiveCard = { ...card, required: ["type", "version"] };
  // An Action.ShowCard's card: the same card, its version optional (it is the parent's).
  definitions.ShowCardBody = { ...card, required: ["type"] };
  return { $schema: "http://json-schema.org/draft-07/schema#", $id: "adaptive-card-1.5", ...REF("AdaptiveCard"), definitions };
}

/** jsdom ships no types (and @types/jsdom is not installed): the one constructor used here. */
const { JSDOM } = createRequire(import.meta.url)("jsdom") as { JSDOM: new (html: string) => { window: Window & typeof globalThis } };

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(adaptiveCard15Schema());

function describeError(e: ErrorObject): string {
  return `schema ${e.instancePath || "/"} ${e.message ?? ""}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`;
}

/** The renderer needs a DOM; test files in jsdom have one, the others get one here. */
function ensureDom(): void {
  if (typeof document !== "undefined") return;
  const { window } = new JSDOM("<!doctype html><html><body></body></html>");
  const dom: Record<string, unknown> = { window, document: window.document };
  for (const name of Object.getOwnPropertyNames(window)) {
    if (/^(HTML|SVG|Node|Element|Text|Event|KeyboardEvent|MouseEvent|getComputedStyle|requestAnimationFrame)/.test(name) && !(name in globalThis))
      dom[name] = (window as unknown as Record<string, unknown>)[name];
  }
  Object.assign(globalThis, dom);
}

/** Every breach of Microsoft's rules by one card: schema, renderer (parse, validation, render) and our own rules. */
export function cardProblems(json: Json): { problems: string[]; text: string } {
  const problems: string[] = [];
  if (!validate(json)) {
    // The type dispatch reports its `if` too: keep the errors that say what is wrong.
    for (const e of validate.errors ?? []) if (e.keyword !== "if") problems.push(describeError(e));
  }
  ensureDom();
  // The renderer's `lang` pattern is a /g RegExp, so its lastIndex survives between cards and
  // the next valid "en" would be refused: start each card from the beginning.
  AC.CardElement.langProperty.regEx!.lastIndex = 0;
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push(`parse ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of card.validateProperties().validationEvents) problems.push(`validate ${AC.ValidationEvent[e.event]}: ${e.message}`);
  const serialized = JSON.stringify(json);
  if (serialized.includes("${")) problems.push(`template expression left: ${serialized.match(/.{0,40}\$\{[^}]*\}/)?.[0]}`);
  if (/\bundefined\b|\bNaN\b|\[object Object\]/.test(serialized)) problems.push("undefined, NaN or [object Object] in the card");
  for (const action of allActions(json)) {
    const data = action.data;
    if (data && typeof data === "object" && "key" in (data as Json)) problems.push(`${String(action.type)} "${String(action.title)}" has a data field named key`);
  }
  const element = card.render();
  if (element) document.body.appendChild(element);
  if (!element) problems.push("rendered nothing");
  return { problems, text: element ? renderedText(element) : "" };
}

/** Every action of a card, with the actions inside Action.ShowCard cards, the refresh action and fallbacks. */
export function allActions(card: Json): Json[] {
  const found: Json[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const o = node as Json;
    if (typeof o.type === "string" && o.type.startsWith("Action.")) found.push(o);
    for (const value of Object.values(o)) visit(value);
  };
  visit(card);
  return found;
}

/** The words the renderer wrote; it sets `innerText`, which jsdom keeps as a plain property. */
function renderedText(root: HTMLElement): string {
  const parts = [root, ...Array.from(root.querySelectorAll<HTMLElement>("*"))].map((e) =>
    Object.prototype.hasOwnProperty.call(e, "innerText") ? String((e as { innerText?: unknown }).innerText) : "",
  );
  return `${root.textContent ?? ""} ${parts.filter(Boolean).join(" ")}`;
}
