/**
 * The layout's rules, checked on the source itself: no import cycles (dpdm over the TypeScript
 * graph, type-only imports included), the Teams SDK only in bot/src/teams/, pure rule files free
 * of I/O (every *-rules.ts, and what they import), no store or HTTP code in the bot or the tab, the
 * local world (api/src/local/) reached only through world.ts's dynamic import, why-comments that
 * name files which exist, and the README's folder table naming every file of every capability.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { execSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join, relative, resolve } from "node:path";
import { parseCircular, parseDependencyTree } from "dpdm";

const root = resolve(fileURLToPath(import.meta.url), "../../..");
const sources = (glob: string) => execSync(`git ls-files '${glob}'`, { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
const importsOf = (file: string) => [...readFileSync(resolve(root, file), "utf8").matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
const dynamicImportsOf = (file: string) => [...readFileSync(resolve(root, file), "utf8").matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]);
/** A relative specifier as the repository path of the TypeScript file it names. */
const resolveSpecifier = (from: string, specifier: string) => relative(root, resolve(root, dirname(from), specifier)).replace(/\.js$/, ".ts");
const apiSources = () => [...sources("api/src/**/*.ts"), ...sources("api/src/*.ts")].filter((f, i, all) => all.indexOf(f) === i);

describe("the source layout", () => {
  it("has no import cycle in api, bot or common", async () => {
    const tree = await parseDependencyTree(["api/src/**/*.ts", "bot/src/**/*.ts", "common/src/**/*.ts"], {
      context: root,
      tsconfig: resolve(root, "tsconfig.json"),
      transform: false, // keep type-only imports: a cycle through types is still a cycle in the design
      include: /\/(api|bot|common)\/src\//,
      exclude: /node_modules/,
    });
    expect(Object.keys(tree).length).toBeGreaterThan(50);
    expect(parseCircular(tree)).toEqual([]);
  }, 60_000);

  it("keeps the Teams SDK inside bot/src/teams/", () => {
    const offenders = sources("bot/src/**/*.ts")
      .filter((f) => !f.startsWith("bot/src/teams/"))
      .filter((f) => importsOf(f).some((s) => /^(botbuilder|@microsoft\/teams-ai)/.test(s)));
    expect(offenders).toEqual([]);
  });

  it("keeps pure rule files free of I/O: every *-rules.ts and the pure files, and everything they import", () => {
    const named = [
      "api/src/ledger/entries.ts",
      "api/src/accounts/account.ts",
      "api/src/funding/card-words.ts",
      "api/src/usage/rated-call.ts",
      "api/src/usage/classify.ts",
      ...sources("api/src/usage/rating/*.ts"),
    ];
    const rules = [...new Set([...apiSources().filter((f) => f.endsWith("-rules.ts")), ...named])];
    expect(rules.filter((f) => f.endsWith("-rules.ts")).length).toBeGreaterThanOrEqual(4);
    // Values in, values out: the shared types and money helpers, hashing for ids, and other files that are pure by the same rule.
    const purePackages = /^(@cc\/common|zod|node:crypto|date-fns|@date-fns\/tz)$/; // date-fns: pure date arithmetic (the period rules)
    const io = /(^|\/)(store|http|payments|local|notifications)\/|directory\/(?!directory\.ts)|-writer\.ts$/;
    for (const file of rules) {
      const seen = new Set<string>();
      const walk = (current: string): void => {
        if (seen.has(current)) return;
        seen.add(current);
        for (const specifier of importsOf(current)) {
          if (!specifier.startsWith(".")) {
            expect(purePackages.test(specifier), `${file} reaches ${specifier} (through ${current})`).toBe(true);
            continue;
          }
          const target = resolveSpecifier(current, specifier);
          // Another rule file is fine wherever it lives: it is walked by the same rule.
          expect(io.test(target) && !target.endsWith("-rules.ts"), `${file} reaches ${target} (through ${current})`).toBe(false);
          walk(target);
        }
      };
      walk(file);
    }
  });

  it("reaches the local world only through world.ts's dynamic import: no production file imports local/", () => {
    const outside = apiSources().filter((f) => !f.startsWith("api/src/local/"));
    const intoLocal = (file: string, specifiers: string[]) =>
      specifiers
        .filter((s) => s.startsWith("."))
        .map((s) => resolveSpecifier(file, s))
        .filter((t) => t.startsWith("api/src/local/"));
    expect(outside.flatMap((f) => intoLocal(f, importsOf(f)).map((t) => `${f} -> ${t}`))).toEqual([]);
    expect(outside.flatMap((f) => intoLocal(f, dynamicImportsOf(f)).map((t) => `${f} -> ${t}`))).toEqual(["api/src/world.ts -> api/src/local/index.ts"]);
    // Nor do the other workspaces, the tab or the deploy scripts.
    const others = [...sources("bot/src/**/*.ts"), ...sources("common/src/**/*.ts"), ...sources("tab/src/**/*.ts"), ...sources("tab/src/**/*.tsx"), ...sources("scripts/*.ts")];
    expect(others.filter((f) => [...importsOf(f), ...dynamicImportsOf(f)].some((s) => /api\/src\/local\//.test(s)))).toEqual([]);
  });

  it("names in its comments only source files that exist", () => {
    const tracked = new Set(execSync("git ls-files --cached --others --exclude-standard", { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean));
    const files = [...tracked].filter((f) => /^(api|bot|common|tab)\/src\/.*\.tsx?$/.test(f) || /^(test|scripts)\/.*\.(tsx?|mjs)$/.test(f));
    const stale: string[] = [];
    for (const file of files) {
      const text = readFileSync(resolve(root, file), "utf8");
      for (const comment of text.matchAll(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g)) {
        for (const [name] of comment[0].matchAll(/(?<![\w*-])[\w.][\w./-]*\.(?:tsx?|mjs)\b/g)) {
          // A path relative to this file (starting with a dot), or a name or path suffix of a file in the repository.
          const exists = name.startsWith(".") ? tracked.has(relative(root, resolve(root, dirname(file), name))) : [...tracked].some((f) => f === name || f.endsWith(`/${name}`));
          if (!exists) stale.push(`${file}:${text.slice(0, comment.index).split("\n").length}: ${name}`);
        }
      }
    }
    expect(stale).toEqual([]);
  });

  it("lists every folder and file of each api/src/<capability>/ in the README's folder table", () => {
    const readme = readFileSync(resolve(root, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("| folder | capability |"));
    const rows = table
      .slice(0, table.indexOf("\n\n"))
      .split("\n")
      .filter((line) => /^\s*\| `/.test(line));
    // Folders the README names as shared rather than as capabilities.
    const shared = new Set(["store", "http", "auth", "directory", "payments", "shared", "types", "data", "local"]);
    const api = resolve(root, "api/src");
    const capabilities = readdirSync(api).filter((name) => statSync(join(api, name)).isDirectory() && !shared.has(name));
    const rowOf = (folder: string) => rows.find((row) => row.split("|")[1].includes(`\`${folder}/\``));
    expect(
      capabilities.filter((folder) => !rowOf(folder)),
      "capability folders without a row",
    ).toEqual([]);
    for (const folder of capabilities) {
      const row = rowOf(folder)!;
      const entries = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? [`${name}/`, ...entries(join(dir, name))] : [name]));
      expect(
        entries(join(api, folder)).filter((name) => !row.includes(`\`${name}\``)),
        `${folder}/ entries missing from its README row`,
      ).toEqual([]);
    }
    for (const name of shared) expect(existsSync(join(api, name)), `api/src/${name}/`).toBe(true);
  });

  it("gives the bot and the tab no store or money rules: they import the API's shapes from @cc/common only", () => {
    const clients = [...sources("bot/src/**/*.ts"), ...sources("tab/src/**/*.ts"), ...sources("tab/src/**/*.tsx")];
    expect(clients.length).toBeGreaterThan(10);
    expect(clients.filter((f) => importsOf(f).some((s) => /api\/src|@azure\/cosmos|@cc\/api/.test(s)))).toEqual([]);
  });
});
