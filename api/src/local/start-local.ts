/**
 * `npm start` and `npm run dev`: the app with the embedded world (APP_ENV=local) unless the
 * environment says otherwise. The App Service runs index.ts, which never defaults to local, and
 * restarts it itself when it exits.
 *
 * Here the app runs as a child of this small supervisor, which starts it again when it exits on its
 * own with a failure: the app stops only for what it cannot survive (http/last-resort.ts), and a
 * person running `npm start` should find it back, as on App Service. A signal (Ctrl-C, SIGTERM) is
 * passed on and ends both; a crash loop (5 exits within a minute) ends both too, with the reason.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

process.env.APP_ENV ||= "local";

const SUPERVISED = "CREDITS_SUPERVISED";
const RESTART_DELAY_MS = 1_000;
const CRASH_LOOP = { exits: 5, withinMs: 60_000 };

if (process.env[SUPERVISED] === "1") {
  await import("../index.js");
} else {
  const entry = fileURLToPath(import.meta.url);
  let child: ChildProcess | undefined;
  let stopping = false;
  const exits: number[] = [];

  const start = () => {
    child = fork(entry, process.argv.slice(2), { execArgv: process.execArgv, env: { ...process.env, [SUPERVISED]: "1" }, stdio: "inherit" });
    child.on("exit", (code, signal) => {
      if (stopping) return process.exit(code ?? 0);
      exits.push(Date.now());
      while (exits.length > 0 && Date.now() - exits[0] > CRASH_LOOP.withinMs) exits.shift();
      if (exits.length >= CRASH_LOOP.exits) {
        process.stderr.write(`The app stopped ${exits.length} times within a minute (last: ${signal ?? `exit code ${code}`}); not starting it again.\n`);
        return process.exit(1);
      }
      process.stderr.write(`The app stopped (${signal ?? `exit code ${code}`}); starting it again in ${RESTART_DELAY_MS / 1000} s.\n`);
      setTimeout(start, RESTART_DELAY_MS);
    });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      stopping = true;
      if (!child || child.exitCode !== null || child.signalCode !== null) return process.exit(0);
      child.kill(signal);
    });
  }
  start();
}
