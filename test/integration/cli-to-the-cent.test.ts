/**
 * What `npm run debit` really prints (the CLI as a child process against a running app, English
 * and French terminals): a debit of 49.964 is said to the cent, its amount and the balance after
 * it, never "49.964" nor a raw currency code (issue 22, item 1; the words are unit-tested in
 * test/unit/amounts-to-the-cent.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startWorld, type TestWorld } from "../support/world.js";
import type { App } from "../../api/src/app.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

function debitCli(url: string, amount: string, lang: string): Promise<{ code: number | null; out: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ["--import", "tsx", "api/src/local/cli/debit.ts", amount, "--url", url], {
      cwd: root,
      env: { ...process.env, LANG: lang, LC_ALL: "", LC_MESSAGES: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", (code) => ok({ code, out }));
  });
}

describe("npm run debit's output", () => {
  let world: TestWorld;
  let app: App;
  beforeAll(async () => {
    world = await startWorld();
    app = await world.app();
  });
  afterAll(() => world?.close());

  it("says the amount and the balance to the cent, in English and in French", async () => {
    const en = await debitCli(app.url, "49.964", "en_US.UTF-8");
    expect(en.code, en.out).toBe(0);
    expect(en.out).toMatch(/\$49\.96\b/);
    expect(en.out).toMatch(/-\$49\.96\b/); // the demo account starts at zero
    expect(
      [...en.out.matchAll(/\d\.(\d+)/g)].map((m) => m[1]).filter((d) => d.length > 2),
      en.out,
    ).toEqual([]);
    expect(en.out).not.toMatch(/49\.964|\bUSD\b/);

    const fr = await debitCli(app.url, "0.011", "fr_FR.UTF-8");
    expect(fr.code, fr.out).toBe(0);
    expect(fr.out).toMatch(/0,01\s\$US/);
    expect(fr.out).toMatch(/-49,98\s\$US/); // −49.964 − 0.011 = −49.975, said to the cent
    expect(
      [...fr.out.matchAll(/\d,(\d+)/g)].map((m) => m[1]).filter((d) => d.length > 2),
      fr.out,
    ).toEqual([]);
  }, 60_000);
});
