/**
 * Microsoft 365 Agents Playground (Microsoft's local Teams client, the pinned devDependency
 * `@microsoft/m365agentsplayground`) against the running app, as a demo user of Contoso:
 *
 *   npm start                        # the app on http://localhost:3978
 *   npm run playground               # megan (Billing Administrator)
 *   npm run playground -- diego      # or any demo user of Contoso: adele, lee, diego, lynne
 *
 * It writes the playground's config (`.m365agentsplayground.yml`: tenant, bot, current user, the
 * other users, a personal chat, a group chat, a team with one channel) into a folder of its own,
 * starts the playground with telemetry off and no browser of its own, and prints the URL to open.
 * The playground plays the Bot Connector itself (service URL `http://localhost:<port>/_connector`),
 * so the bot's replies, proactive cards and card updates all land in its chats.
 *
 * The e2e test and the bench start it the same way (startPlayground).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { CONTOSO_TENANT_ID, DEMO_TENANTS, type DemoUser } from "@cc/common";

/** The bot's account in the playground's conversations (Teams names a bot `28:<app id>`). */
export const PLAYGROUND_BOT = { id: "28:00000000-0000-4000-8000-00000000c7ed", name: "Communications Credits" };
/** The playground's team and its one channel besides General (its config allows one). */
export const PLAYGROUND_TEAM = {
  id: "19:credits-team@thread.tacv2",
  name: "Finance",
  aadGroupId: "00000000-0000-4000-8000-0000000f1ace",
  channel: { id: "19:credits-billing@thread.tacv2", name: "Billing" },
};

const contoso = DEMO_TENANTS.find((t) => t.tenantId === CONTOSO_TENANT_ID)!;

/** A Contoso demo user by short name ("megan") or UPN. */
export function demoUser(name: string): DemoUser {
  const wanted = name.toLowerCase();
  const user = contoso.users.find((u) => u.upn === wanted || u.upn.split("@")[0] === wanted);
  if (!user) throw new Error(`no Contoso demo user "${name}"; one of: ${contoso.users.map((u) => u.upn.split("@")[0]).join(", ")}`);
  return user;
}

function account(user: DemoUser) {
  const [givenName, ...rest] = user.displayName.split(" ");
  // Teams' user id in a conversation is 29:…; the Entra object id is what the app knows people by.
  return { id: `29:${user.id}`, name: user.displayName, userPrincipleName: user.upn, aadObjectId: user.id, givenName, surname: rest.join(" "), email: user.upn };
}

/**
 * The playground's config for `current`. Its schema wants exactly five other users: the rest of
 * Contoso's directory (four people), and one guest who is in no role, so is never notified.
 */
export function playgroundConfig(current: DemoUser): Record<string, unknown> {
  const others = contoso.users.filter((u) => u.id !== current.id).map(account);
  const guest = {
    id: "29:guest-contoso",
    name: "Guest User",
    userPrincipleName: "guest@example.com",
    aadObjectId: "00000000-0000-4000-8000-00000000ffff",
    givenName: "Guest",
    surname: "User",
    email: "guest@example.com",
  };
  return {
    version: "0.1.1",
    tenantId: CONTOSO_TENANT_ID,
    bot: PLAYGROUND_BOT,
    currentUser: account(current),
    users: [...others, guest].slice(0, 5),
    personalChat: { id: `a:playground-${current.upn.split("@")[0]}` },
    groupChat: { id: "19:credits-group@thread.v2", name: "Credits group chat" },
    team: { id: PLAYGROUND_TEAM.id, name: PLAYGROUND_TEAM.name, aadGroupId: PLAYGROUND_TEAM.aadGroupId, channels: [PLAYGROUND_TEAM.channel] },
  };
}

export interface Playground {
  /** The web client to open. */
  url: string;
  process: ChildProcess;
  /** What it printed, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

export interface PlaygroundOptions {
  /** The app's base URL (its bot is at /api/messages). */
  appUrl: string;
  user: DemoUser;
  /** Port to ask for; the playground takes another free one when it is taken (it says which). */
  port?: number;
  /** Folder for its config and log (default: a new one under the OS temp folder). */
  dir?: string;
  timeoutMs?: number;
}

export async function startPlayground({ appUrl, user, port = 0, dir, timeoutMs = 60_000 }: PlaygroundOptions): Promise<Playground> {
  const home = dir ?? join(tmpdir(), `playground-${user.upn.split("@")[0]}-${process.pid}-${Date.now()}`);
  mkdirSync(home, { recursive: true });
  const configPath = join(home, ".m365agentsplayground.yml");
  writeFileSync(configPath, stringify(playgroundConfig(user)));
  const cli = createRequire(import.meta.url).resolve("@microsoft/m365agentsplayground/cli.js");
  const child = spawn(
    process.execPath,
    [cli, "--app-endpoint", `${appUrl}/api/messages`, "--channel-id", "msteams", "--port", String(port || (await freePort())), "--disable-telemetry"],
    {
      cwd: home,
      env: {
        ...process.env,
        // Its own config and log, no browser of its own (the caller opens one).
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: join(home, "playground.log"),
        TEAMSAPPTESTER_BROWSER: "none",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((ok) => child.once("exit", () => ok()));
  const reap = () => child.kill("SIGKILL");
  process.once("exit", reap);
  const until = Date.now() + timeoutMs;
  let url = "";
  while (!url) {
    if (child.exitCode !== null) throw new Error(`the playground exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > until) {
      child.kill("SIGKILL");
      throw new Error(`the playground did not start in ${timeoutMs} ms:\n${output}`);
    }
    const listening = /Listening on (\d+)/.exec(output)?.[1];
    // It listens before it has read its config; the page answers once it is ready.
    if (
      listening &&
      (await fetch(`http://127.0.0.1:${listening}/`).then(
        (r) => r.ok,
        () => false,
      ))
    )
      url = `http://127.0.0.1:${listening}`;
    else await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    output: () => output,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      process.off("exit", reap);
    },
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

// `npm run playground [-- <user>] [--port N]`: against the running app (CC_URL or localhost:$PORT).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const portAt = args.indexOf("--port");
  const port = portAt >= 0 ? Number(args[portAt + 1]) : 56150;
  const name = args.filter((a, i) => !a.startsWith("--") && (portAt < 0 || i !== portAt + 1))[0] ?? "megan";
  const appUrl = (process.env.CC_URL ?? `http://localhost:${process.env.PORT ?? "3978"}`).replace(/\/$/, "");
  const user = demoUser(name);
  const healthy = await fetch(`${appUrl}/api/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (!healthy) {
    console.error(`The app does not answer at ${appUrl}: start it first with \`npm start\` (or set CC_URL).`);
    process.exit(1);
  }
  const playground = await startPlayground({ appUrl, user, port, dir: resolve(".data", "playground", user.upn.split("@")[0]) });
  console.log(`Microsoft 365 Agents Playground as ${user.displayName} (${user.upn}): ${playground.url.replace("127.0.0.1", "localhost")}`);
  console.log("Open it, then in the personal chat type: help, balance, usage, top up 100. Ctrl+C stops it.");
  const stop = () => void playground.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  playground.process.once("exit", (code) => process.exit(code ?? 0));
}
