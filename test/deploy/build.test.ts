/**
 * What App Service runs: the folder `npm run package:deploy` builds (compiled JavaScript, the built
 * tab and the first frame's server bundle, production dependencies installed offline from the
 * lockfile), started from a temporary copy outside the repository with plain `node` — no tsx, no
 * loader, no NODE_PATH — answering /api/health and drawing the tab's first frame. The tsc build is
 * reused when `npm test` has just made it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NODE_FLAGS, START_COMMAND } from "../../scripts/node-runtime.js";

const repo = process.cwd();
let work: string;
let app: string;
let server: ChildProcess | undefined;

function run(command: string, args: string[], cwd = repo): void {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

beforeAll(() => {
  if (!["common", "bot", "api"].every((ws) => existsSync(join(repo, ws, "dist/index.js")))) run("npm", ["run", "build:server"]);
  if (!existsSync(join(repo, "tab/dist/index.html")) || !existsSync(join(repo, "tab/dist-server/render.js"))) run("npm", ["run", "build:tab"]);
  work = mkdtempSync(join(tmpdir(), "cc-deploy-"));
  app = join(work, "app");
  run(join(repo, "node_modules/.bin/tsx"), ["scripts/package-deploy.ts", "--out", app, "--no-zip"]);
}, 600_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((resolve) => server!.once("exit", resolve));
  }
  if (work) rmSync(work, { recursive: true, force: true });
}, 300_000);

const json = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, any>;

describe("the deploy package", () => {
  it("holds compiled JavaScript and production dependencies only", () => {
    expect(json(join(app, "package.json")).scripts.start).toBe(START_COMMAND);
    expect(readdirSync(app).sort()).toEqual(["api", "node_modules", "package.json", "tab"]);
    // api where the start command runs it; the libraries where `import "@cc/..."` finds them, as real folders.
    for (const dir of ["api", "node_modules/@cc/bot", "node_modules/@cc/common"]) {
      expect(
        readdirSync(join(app, dir))
          .filter((name) => name !== "node_modules")
          .sort(),
        dir,
      ).toEqual(["dist", "package.json"]);
      expect(json(join(app, dir, "package.json")).exports, dir).toEqual({ ".": "./dist/index.js" });
    }
    expect(readdirSync(join(app, "node_modules/@cc")).sort()).toEqual(["bot", "common"]);
    // The built tab, and the first frame's server bundle (React and Fluent inside, nothing to install).
    expect(readdirSync(join(app, "tab")).sort()).toEqual(["dist", "dist-server"]);
    // Every development dependency is absent unless the lockfile says production code needs it too.
    const lock = json(join(repo, "package-lock.json")).packages as Record<string, { dev?: boolean }>;
    // (npm marks `"dev": true` what only development dependencies need.)
    const devDependencies = ["", "common/", "bot/", "api/", "tab/"].flatMap((ws) => Object.keys(json(join(repo, ws, "package.json")).devDependencies ?? {}));
    expect(devDependencies).toEqual(expect.arrayContaining(["tsx", "typescript", "vitest", "vite"]));
    for (const tool of ["tsx", "typescript", "vitest", "vite"]) expect(lock[`node_modules/${tool}`]?.dev, tool).toBe(true);
    for (const name of devDependencies) {
      if (lock[`node_modules/${name}`]?.dev !== true) continue;
      expect(existsSync(join(app, "node_modules", name)), `${name} (a devDependency) is in the deploy package`).toBe(false);
    }
  });

  it("starts with plain node from a copy outside the repository and answers /api/health", async () => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: work,
      APP_ENV: "local",
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: join(work, "data"),
      JOBS_INTERVAL_MS: "0",
    };
    server = spawn(process.execPath, [...NODE_FLAGS, "api/dist/index.js"], { cwd: app, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    server.stderr!.on("data", (chunk) => (stderr += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start-up line in 90 s:\n${stdout}\n${stderr}`)), 90_000);
      server!.once("exit", (code) => reject(new Error(`exited ${code}:\n${stdout}\n${stderr}`)));
      server!.stdout!.on("data", (chunk) => {
        stdout += chunk;
        const up = stdout
          .split("\n")
          .map((line) => {
            try {
              return JSON.parse(line);
            } catch {
              return undefined;
            }
          })
          .find((entry) => entry?.url && /is up/.test(entry.msg));
        if (up) {
          clearTimeout(timer);
          resolve(up.url);
        }
      });
    });
    const health = await fetch(`${url.replace("localhost", "127.0.0.1")}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    // The tab's first frame is drawn by the deployed server too, from its own bundle.
    const base = url.replace("localhost", "127.0.0.1");
    const { token } = (await (
      await fetch(`${base}/api/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ upn: "megan@contoso.example" }) })
    ).json()) as { token: string };
    const frame = await fetch(`${base}/tab/first-frame`, { headers: { authorization: `Bearer ${token}` } });
    expect(frame.status).toBe(200);
    expect(((await frame.json()) as { html: string }).html).toContain('data-testid="balance"');
    // JSON lines when stdout is not a terminal, and no deprecation warning on start.
    expect(
      stdout
        .trim()
        .split("\n")
        .every((line) => line.startsWith("{")),
    ).toBe(true);
    expect(stderr).not.toMatch(/Warning/);
  }, 120_000);
});
