/**
 * The layout's rules, checked on the source itself: no import cycles (dpdm over the TypeScript
 * graph with dpdm, type-only imports included), the Teams SDK only in bot/src/teams/, pure rule files free
 * of I/O, and no store or HTTP code in the bot or the tab.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { execSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { parseCircular, parseDependencyTree } from "dpdm";

const root = resolve(fileURLToPath(import.meta.url), "../../..");
const sources = (glob: string) => execSync(`git ls-files '${glob}'`, { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
const importsOf = (file: string) => [...readFileSync(resolve(root, file), "utf8").matchAll(/^import\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);

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
    const offenders = sources("bot/src/**/*.ts").filter((f) => !f.startsWith("bot/src/teams/")).filter((f) => importsOf(f).some((s) => /^(botbuilder|@microsoft\/teams-ai)/.test(s)));
    expect(offenders).toEqual([]);
  });

  it("keeps pure rule files free of I/O (no store, HTTP, processor or directory imports)", () => {
    const rules = ["api/src/ledger/entries.ts", "api/src/accounts/account.ts", "api/src/funding/recharge-rules.ts", "api/src/funding/card-words.ts", "api/src/usage/rated-call.ts", "api/src/usage/classify.ts", ...sources("api/src/usage/rating/*.ts")];
    for (const file of rules) {
      expect(importsOf(file).filter((s) => /store\/|http\/|payments\/|directory\/(?!directory\.js)|@azure|restify|node:fs/.test(s)), file).toEqual([]);
    }
  });

  it("gives the bot and the tab no store or money rules: they import the API's shapes from @cc/common only", () => {
    const clients = [...sources("bot/src/**/*.ts"), ...sources("tab/src/**/*.ts"), ...sources("tab/src/**/*.tsx")];
    expect(clients.length).toBeGreaterThan(10);
    expect(clients.filter((f) => importsOf(f).some((s) => /api\/src|@azure\/cosmos|@cc\/api/.test(s)))).toEqual([]);
  });
});
