/**
 * The Teams app package, built the way `npm run package` builds it for an environment file, and
 * checked offline: the schema of its manifest version (from @microsoft/app-manifest), icons,
 * placeholders, the bot's commands, the localisation files.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import JSZip from "jszip";
import { PNG } from "pngjs";
import { BOT_COMMANDS, COMMAND_PATTERNS, commandWords } from "../../bot/src/commands.js";
import { buildAppPackage, resolvePlaceholders } from "../../scripts/package-app.js";
import { readdirSync } from "node:fs";
import { t, type MessageId } from "@cc/common";
import { ACTIVITY_TYPE, RESOLVED_ACTIVITY_TYPE } from "../../api/src/notifications/send-feed-item.js";

const require = createRequire(import.meta.url);
// CommonJS modules whose module.exports is the function itself.
const Ajv04 = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;
const schemaDir = (version: string) => join(dirname(require.resolve("@microsoft/app-manifest/package.json")), "build/json-schemas/teams", `v${version}`);

const ENV = {
  TEAMSFX_ENV: "ci",
  APP_NAME_SUFFIX: "-ci",
  TEAMS_APP_ID: "6f1d1a53-2c87-4f6b-9f57-1b2a3c4d5e6f",
  BOT_ID: "0b6f3c2e-8a41-4d7e-9c55-3f2e1d0c9b8a",
  AAD_APP_CLIENT_ID: "2c7e9a1b-5d3f-4e8a-b6c2-9f0e1d2c3b4a",
  TAB_DOMAIN: "credits-ci.azurewebsites.net",
  TAB_ENDPOINT: "https://credits-ci.azurewebsites.net",
};

let files: Map<string, Buffer>;
let manifest: Record<string, any>;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "cc-app-package-"));
  const envFile = join(dir, ".env.ci");
  writeFileSync(
    envFile,
    Object.entries(ENV)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
  );
  const built = await buildAppPackage({ env: "ci", envFiles: [envFile], outDir: dir });
  expect(built.zipPath).toBe(join(dir, "appPackage.ci.zip"));
  // Read back what was written, not what the builder kept in memory.
  const zip = await JSZip.loadAsync(readFileSync(built.zipPath));
  files = new Map();
  for (const name of Object.keys(zip.files)) files.set(name, await zip.file(name)!.async("nodebuffer"));
  manifest = JSON.parse(files.get("manifest.json")!.toString("utf8"));
});

const json = (name: string) => JSON.parse(files.get(name)!.toString("utf8")) as Record<string, any>;

function validator(schemaFile: string) {
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));
}

/** Every string in the manifest, by its localisation key (`bots[0].commandLists[0].commands[1].title`). */
function stringPaths(value: unknown, path = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === "string") out.set(path, value);
  else if (Array.isArray(value)) value.forEach((item, i) => stringPaths(item, `${path}[${i}]`).forEach((v, k) => out.set(k, v)));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) stringPaths(item, path ? `${path}.${key}` : key).forEach((v, k) => out.set(k, v));
  return out;
}

describe("the Teams app package", () => {
  it("holds the manifest, both icons and both localisation files, nothing else", () => {
    expect([...files.keys()].sort()).toEqual(["color.png", "en-US.json", "fr-FR.json", "manifest.json", "outline.png"]);
  });

  it("validates against the official schema of its manifest version (1.19 or newer)", () => {
    const version = manifest.manifestVersion as string;
    const [major, minor] = version.split(".").map(Number);
    expect(major === 1 && minor >= 19).toBe(true);
    const validate = validator(join(schemaDir(version), "MicrosoftTeams.schema.json"));
    expect(validate(manifest), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("is at the newest manifest version whose schema @microsoft/app-manifest ships", () => {
    const versions = readdirSync(dirname(schemaDir("1.0")))
      .filter((v) => /^v\d+\.\d+$/.test(v))
      .map((v) => v.slice(1));
    const newest = versions.sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]))[versions.length - 1];
    expect(manifest.manifestVersion).toBe(newest);
    expect(manifest.$schema).toContain(`/v${newest}/`);
  });

  it("declares the activity feed: every activity type the API sends, with the catalog's texts in English and French, the RSC permission and the Graph app", () => {
    const sent = [...Object.values(ACTIVITY_TYPE), RESOLVED_ACTIVITY_TYPE];
    const declared = manifest.activities.activityTypes as { type: string; description: string; templateText: string }[];
    expect(declared.map((a) => a.type).sort()).toEqual([...sent].sort());
    const fr = json("fr-FR.json");
    const catalogId: Record<string, MessageId> = {
      rechargeFailed: "feed.rechargeFailed",
      balanceDepleted: "feed.balanceDepleted",
      rechargePaused: "feed.rechargePaused",
      spendSpike: "feed.spendSpike",
      situationResolved: "feed.resolved",
    };
    declared.forEach((activity, i) => {
      // The template's {placeholders} are the parameters the API sends; the text is the catalog's, raw.
      const raw = (lang: "en" | "fr") => t(lang, catalogId[activity.type], Object.fromEntries([...activity.templateText.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], `{${m[1]}}`])));
      expect(activity.templateText).toBe(raw("en"));
      expect(fr[`activities.activityTypes[${i}].templateText`]).toBe(raw("fr"));
    });
    expect(manifest.authorization.permissions.resourceSpecific).toContainEqual({ name: "TeamsActivity.Send.User", type: "Application" });
    expect(manifest.webApplicationInfo.id).toBe(ENV.AAD_APP_CLIENT_ID);
  });

  it("resolves every placeholder from the env file, and refuses to build when one has no value", () => {
    for (const [name, content] of files) if (name.endsWith(".json")) expect(content.toString("utf8"), name).not.toMatch(/\$\{\{/);
    expect(manifest.id).toBe(ENV.TEAMS_APP_ID);
    expect(manifest.bots[0].botId).toBe(ENV.BOT_ID);
    expect(manifest.webApplicationInfo).toEqual({ id: ENV.AAD_APP_CLIENT_ID, resource: `api://${ENV.TAB_DOMAIN}/${ENV.AAD_APP_CLIENT_ID}` });
    expect(manifest.validDomains).toEqual([ENV.TAB_DOMAIN]);
    expect(() => resolvePlaceholders('{"id":"${{TEAMS_APP_ID}}","bot":"${{NOT_SET_ANYWHERE_X}}"}', ENV, "manifest.json")).toThrow(/NOT_SET_ANYWHERE_X/);
  });

  it("has a personal tab and a configurable team tab on the app's domain", () => {
    const personal = manifest.staticTabs.find((tab: any) => tab.contentUrl);
    expect(personal.scopes).toEqual(["personal"]);
    expect(personal.contentUrl.startsWith(`${ENV.TAB_ENDPOINT}/`)).toBe(true);
    expect(manifest.configurableTabs[0].scopes).toContain("team");
    expect(manifest.configurableTabs[0].configurationUrl.startsWith(`${ENV.TAB_ENDPOINT}/`)).toBe(true);
  });

  it("routes every listed command to a handler the bot registers", () => {
    for (const command of BOT_COMMANDS) expect(COMMAND_PATTERNS[command.handler].test(command.name), command.name).toBe(true);
  });

  it("lists exactly the bot's commands, in personal and team scopes", () => {
    const bot = manifest.bots[0];
    expect(bot.scopes).toEqual(expect.arrayContaining(["personal", "team"]));
    for (const list of bot.commandLists) {
      expect(list.scopes).toEqual(expect.arrayContaining(["personal", "team"]));
      expect(list.commands.map((c: any) => c.title)).toEqual(BOT_COMMANDS.map((c) => c.name));
      expect(list.commands.map((c: any) => c.description)).toEqual(BOT_COMMANDS.map((c) => commandWords(c, "en").description));
    }
  });

  it("has icons of the required sizes: colour 192x192, outline 32x32 white on transparent", () => {
    const color = PNG.sync.read(files.get(manifest.icons.color)!);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = PNG.sync.read(files.get(manifest.icons.outline)!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let transparent = 0;
    let drawn = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      if (a === 0) transparent++;
      else {
        drawn++;
        expect([r, g, b], `outline pixel ${i / 4} is not white`).toEqual([255, 255, 255]);
      }
    }
    expect(transparent).toBeGreaterThan(0);
    expect(drawn).toBeGreaterThan(0);
  });

  it("has en-US and fr-FR localisation files that validate and cover every localisable string", () => {
    const info = manifest.localizationInfo;
    expect(info.defaultLanguageTag).toBe("en-us");
    const languageFiles: [string, string][] = [["en-us", info.defaultLanguageFile], ...info.additionalLanguages.map((l: any) => [l.languageTag, l.file] as [string, string])];
    expect(languageFiles.map(([tag]) => tag).sort()).toEqual(["en-us", "fr-fr"]);

    const schemaFile = join(schemaDir(manifest.manifestVersion), "MicrosoftTeams.Localization.schema.json");
    const schema = JSON.parse(readFileSync(schemaFile, "utf8"));
    const localisable = [
      ...Object.keys(schema.properties)
        .filter((k) => !k.startsWith("$") && k !== "localizationKeys")
        .map((k) => new RegExp(`^${k.replace(/[.[\]]/g, "\\$&")}$`)),
      ...Object.keys(schema.patternProperties).map((p) => new RegExp(p)),
    ];
    const strings = stringPaths(manifest);
    const expected = [...strings.keys()].filter((path) => localisable.some((re) => re.test(path))).sort();
    expect(expected).toContain("bots[0].commandLists[0].commands[0].description");
    expect(expected).toContain("staticTabs[0].name");

    const validate = validator(schemaFile);
    for (const [tag, file] of languageFiles) {
      const strings = json(file);
      expect(validate(strings), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(
        Object.keys(strings)
          .filter((k) => !k.startsWith("$"))
          .sort(),
        file,
      ).toEqual(expected);
      for (const key of expected) expect(String(strings[key]).trim(), `${file} ${key}`).not.toBe("");
      if (tag === "en-us") for (const key of expected) expect(strings[key], `${file} ${key}`).toBe(stringPaths(manifest).get(key));
    }
    // French descriptions come from the bot's own list, so a new command brings its translation.
    const fr = json("fr-FR.json");
    BOT_COMMANDS.forEach((command, i) => expect(fr[`bots[0].commandLists[0].commands[${i}].description`]).toBe(commandWords(command, "fr").description));
  });
});
