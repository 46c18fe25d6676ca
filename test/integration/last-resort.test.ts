/**
 * The last resort (api/src/http/last-resort.ts): an error that escapes a request — a throw in a
 * timer it started, an emitter's unheard 'error', a rejected promise nobody awaits — fails that
 * request with a 500 problem and is logged with the request's id; the process goes on serving.
 * An error outside any request stops the process (exit 1), for its supervisor to start it again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

async function startServer(...args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/escaping-server.ts", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((ok) => child.once("exit", (code) => ok(code)));
  for (let i = 0; i < 300 && !/listening on \d+/.test(output); i++) await new Promise((r) => setTimeout(r, 50));
  const port = /listening on (\d+)/.exec(output)?.[1];
  if (!port) throw new Error(`the server did not start:\n${output}`);
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

describe("an error that escapes a request", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => {
    server.child.kill("SIGKILL");
  });

  it("fails that request with a 500 problem, is logged with the request id, and the process keeps serving", async () => {
    for (const path of ["/timer", "/emitter", "/rejection"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(500);
      expect(res.headers.get("content-type"), path).toContain("application/problem+json");
      const problem = await res.json();
      expect(problem.code).toBe("internal_error");
      expect(JSON.stringify(problem)).not.toMatch(/timer|emitter|awaits/); // logged, not shown
      expect((await fetch(`${server.url}/ok`)).status, `after ${path}`).toBe(200);
    }
    expect(server.child.exitCode).toBeNull();
    const logged = server
      .output()
      .split("\n")
      .filter((l) => l.includes("an error escaped a request"));
    expect(logged).toHaveLength(3);
    for (const line of logged) expect(JSON.parse(line)).toMatchObject({ reqId: expect.any(String), path: expect.stringMatching(/^\/(timer|emitter|rejection)$/) });
  });
});

describe("an error outside any request", () => {
  it("stops the process with exit code 1 and says why", async () => {
    const server = await startServer("--outside");
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain("outside any request: the process stops and is started again");
  });
});
