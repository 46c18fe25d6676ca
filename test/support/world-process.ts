/**
 * A test world and one app in a child process, for test files whose own environment cannot host
 * the API (jsdom's realm breaks Node's WebCrypto, which the local Graph server's certificate needs).
 * Prints the app's URL as one JSON line; closes when its stdin closes.
 */
import "../../api/src/warnings.js"; // restify's spdy: the one DEP0111 the app drops too
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startWorld } from "./world.js";

export interface WorldProcess {
  url: string;
  close(): Promise<void>;
}

/** Start the world in a child process (tsx) and resolve when its app answers. */
export async function startWorldProcess(): Promise<WorldProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, WORLD_PROCESS: "1" } });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the world process exited (${code})`)));
    lines.on("line", (line) => {
      if (line.startsWith('{"url"')) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  return {
    url,
    close: () =>
      new Promise<void>((ok) => {
        child.once("exit", () => ok());
        child.stdin!.end();
      }),
  };
}

if (process.env.WORLD_PROCESS === "1" && process.argv[1] === fileURLToPath(import.meta.url)) {
  const world = await startWorld();
  const app = await world.app();
  process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => void world.close().then(() => process.exit(0)));
}
