/**
 * The app as a real child process (`tsx api/src/index.ts`, with the Node flags it runs with
 * everywhere: scripts/node-runtime.ts) on its own port and data directory, to be killed. One process: node with tsx as an import hook (the tsx CLI would put the app in a grandchild
 * that a SIGKILL to the child leaves running).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";
import { NODE_FLAGS } from "../../scripts/node-runtime.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface ChildApp {
  url: string;
  process: ChildProcess;
  /** Everything the child printed, for failure messages. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface ChildAppOptions {
  /** The entry: the app (`api/src/index.ts`, default) or `npm start`'s (`api/src/local/start-local.ts`). */
  script?: string;
  /** Node flags before the entry, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  timeoutMs?: number;
}

/** `env` is laid over the local defaults below (and over this process's environment). */
export async function startChildApp(env: Record<string, string>, { script = "api/src/index.ts", nodeArgs = [], timeoutMs = 150_000 }: ChildAppOptions = {}): Promise<ChildApp> {
  // Port 0 unless the caller names one: the app binds a free port itself and says which (no race
  // between choosing a port here and the app binding it).
  const child = spawn(process.execPath, [...NODE_FLAGS, ...nodeArgs, "--import", "tsx", script], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "development", APP_ENV: "local", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", JOBS_INTERVAL_MS: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((ok) => child.once("exit", () => ok()));
  const until = Date.now() + timeoutMs;
  let url: string | undefined;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > until) {
      child.kill("SIGKILL");
      throw new Error(`the app did not come up in ${timeoutMs} ms:\n${output}`);
    }
    const port = /is up on http:\/\/localhost:(\d+)/.exec(output)?.[1];
    url = port ? `http://127.0.0.1:${port}` : undefined;
    if (
      url &&
      (await fetch(`${url}/api/health`).then(
        (r) => r.status === 200,
        () => false,
      ))
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // Whatever happens to the test, the app does not outlive it.
  const reap = () => child.kill("SIGKILL");
  process.once("exit", reap);
  return {
    url,
    process: child,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      process.off("exit", reap);
    },
  };
}
