/**
 * The embedded world (dev tokens for any tenant, embedded store, sandbox processor, local
 * directory and Bot Connector) runs only with APP_ENV=local, never beside a real endpoint and
 * never under a NODE_ENV other than development or test, however it is spelt.
 */
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { loadConfig } from "../../api/src/config.js";

const CLOUD = {
  COSMOS_ENDPOINT: "https://credits.documents.azure.com:443/",
  PROCESSOR_URL: "https://api.stripe.com",
  GRAPH_BASE_URL: "https://graph.microsoft.com",
  ENTRA_CLIENT_ID: "7e1e2c4a-5b6d-4e8f-9a0b-1c2d3e4f5a6b",
  BOT_ID: "5a0c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4",
};

describe("configuration that cannot be half-production", () => {
  it("runs the embedded world with APP_ENV=local under development and test", () => {
    for (const NODE_ENV of [undefined, "development", "test", " Development ", "TEST"]) {
      const config = loadConfig({ APP_ENV: "local", NODE_ENV });
      expect(config).toMatchObject({ APP_ENV: "local", AUTH_MODE: "dev", HOST: "127.0.0.1" });
    }
  });

  it("refuses APP_ENV=local for every other NODE_ENV spelling", () => {
    for (const NODE_ENV of ["Production", "prod", "production ", "PRODUCTION", "staging", "qa", "dev"]) {
      expect(() => loadConfig({ APP_ENV: "local", NODE_ENV }), NODE_ENV).toThrow(/APP_ENV=local .* runs only with NODE_ENV development or test/);
    }
    expect(() => loadConfig({ APP_ENV: "local", NODE_ENV: "staging", COSMOS_ENDPOINT: CLOUD.COSMOS_ENDPOINT })).toThrow(/NODE_ENV[\s\S]*refuses a real COSMOS_ENDPOINT/);
  });

  it("refuses APP_ENV=local beside any real endpoint", () => {
    for (const key of ["COSMOS_ENDPOINT", "PROCESSOR_URL", "GRAPH_BASE_URL"] as const) {
      expect(() => loadConfig({ APP_ENV: "local", [key]: CLOUD[key] }), key).toThrow(new RegExp(`refuses a real ${key}`));
      // A look-alike host is not this machine either.
      expect(() => loadConfig({ APP_ENV: "local", [key]: "http://127.0.0.1.evil.example:8081" }), key).toThrow(new RegExp(`refuses a real ${key}`));
    }
    // Services on this machine are fine (the tests' own world, a local emulator).
    expect(loadConfig({ APP_ENV: "local", COSMOS_ENDPOINT: "http://127.0.0.1:8081", PROCESSOR_URL: "http://localhost:12111", GRAPH_BASE_URL: "https://[::1]:9443" }).APP_ENV).toBe(
      "local",
    );
  });

  it("without APP_ENV=local, needs every real endpoint, Entra sign-in and a bot registration", () => {
    for (const NODE_ENV of [undefined, "production", "Production", "prod", "production ", "staging"]) {
      expect(() => loadConfig({ NODE_ENV }), String(NODE_ENV)).toThrow(
        /COSMOS_ENDPOINT is required[\s\S]*PROCESSOR_URL is required[\s\S]*GRAPH_BASE_URL is required[\s\S]*BOT_ID is required/,
      );
      // Dev sign-in is never the default and never allowed there.
      expect(() => loadConfig({ ...CLOUD, NODE_ENV, AUTH_MODE: "dev" })).toThrow(/AUTH_MODE=dev is refused unless APP_ENV=local/);
    }
    const { BOT_ID: _, ...noBot } = CLOUD;
    expect(() => loadConfig({ ...noBot, NODE_ENV: "production" })).toThrow(/BOT_ID is required/);
    expect(() => loadConfig({ ...CLOUD, NODE_ENV: "staging", APP_ENV: "production" })).toThrow(/APP_ENV/);
    expect(loadConfig({ ...CLOUD, NODE_ENV: "production" })).toMatchObject({ APP_ENV: "cloud", AUTH_MODE: "entra", HOST: "0.0.0.0" });
  });

  it("a production start without APP_ENV=local refuses to start instead of minting dev tokens", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "api/src/index.ts"], {
      env: { ...process.env, NODE_ENV: "Production", APP_ENV: "", PORT: "0", COSMOS_ENDPOINT: "", PROCESSOR_URL: "", GRAPH_BASE_URL: "", BOT_ID: "", AUTH_MODE: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).not.toBe(0);
    expect(output).toContain("COSMOS_ENDPOINT is required unless APP_ENV=local");
    expect(output).not.toContain("is up on");
  });
});
