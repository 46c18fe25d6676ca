/**
 * `npm run package:deploy` (after `npm run build`): .deploy/app, what App Service runs and nothing
 * else — the compiled JavaScript of common, bot and api, the built tab (and its first frame's
 * server bundle), and production dependencies installed offline from the npm cache with the
 * repository's lockfile — and .deploy/app.zip of it. App Service runs `node api/dist/index.js` in
 * it with the flags of node-runtime.ts (no tsx, no TypeScript).
 *
 *   tsx scripts/package-deploy.ts [--out <dir>] [--no-zip]
 */
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import JSZip from "jszip";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The workspaces that run on the server, in dependency order (the tab ships as static files). */
export const SERVER_WORKSPACES = ["common", "bot", "api"] as const;
import { START_COMMAND } from "./node-runtime.js";

export { START_COMMAND };

interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  exports?: unknown;
  [key: string]: unknown;
}

const readJson = (file: string): PackageJson => JSON.parse(readFileSync(file, "utf8")) as PackageJson;
const writeJson = (file: string, value: unknown) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

export async function packageDeploy(out: string, options: { zip?: boolean } = {}): Promise<{ dir: string; zipPath?: string }> {
  for (const input of [...SERVER_WORKSPACES.map((ws) => `${ws}/dist/index.js`), "tab/dist/index.html", "tab/dist-server/render.js"]) {
    if (!existsSync(join(repoRoot, input))) throw new Error(`${input} is missing: run \`npm run build\` first`);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  // npm ci needs package.json files that match the lockfile: copy them as they are, install, then trim.
  for (const file of ["package.json", "package-lock.json", ...[...SERVER_WORKSPACES, "tab"].map((ws) => `${ws}/package.json`)]) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(out, file));
  }
  for (const ws of SERVER_WORKSPACES) {
    cpSync(join(repoRoot, ws, "dist"), join(out, ws, "dist"), {
      recursive: true,
      filter: (source) => !source.endsWith(".tsbuildinfo") && !source.endsWith(".d.ts") && !source.endsWith(".d.ts.map"),
    });
  }
  cpSync(join(repoRoot, "tab/dist"), join(out, "tab/dist"), { recursive: true, filter: (source) => !source.endsWith(".build-stamp") });
  // The first frame's server bundle: one file with React and Fluent inside (no package to install).
  cpSync(join(repoRoot, "tab/dist-server"), join(out, "tab/dist-server"), { recursive: true });

  // Production dependencies of the server workspaces only, exactly as locked, without the network
  // (tarballs from the npm cache that `npm ci` filled).
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const workspaces = SERVER_WORKSPACES.flatMap((ws) => ["--workspace", ws]);
  const install = spawnSync(npm, ["ci", "--omit=dev", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", ...workspaces], {
    cwd: out,
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  if (install.status !== 0) throw new Error(`npm ci --omit=dev --offline failed in ${out} (exit ${install.status}); run \`npm ci\` once online to fill the npm cache`);

  const root = readJson(join(out, "package.json"));
  writeJson(join(out, "package.json"), { name: root.name, private: true, type: "module", engines: root.engines, scripts: { start: START_COMMAND } });
  rmSync(join(out, "package-lock.json"));
  rmSync(join(out, "tab/package.json"));
  for (const ws of SERVER_WORKSPACES) {
    const pkg = readJson(join(out, ws, "package.json"));
    delete pkg.devDependencies;
    delete pkg.scripts;
    // Only the compiled output ships: plain `node` resolves @cc/* to dist without any condition.
    pkg.exports = { ".": "./dist/index.js" };
    writeJson(join(out, ws, "package.json"), pkg);
  }
  dereferenceWorkspaceLinks(out);

  if (options.zip === false) return { dir: out };
  const zipPath = `${out}.zip`;
  await zipFolder(out, zipPath);
  return { dir: out, zipPath };
}

/**
 * npm links workspaces into node_modules; a zip for App Service holds real folders instead. The
 * libraries (common, bot) move to where `import "@cc/..."` finds them; api stays where the start
 * command runs it (nothing imports @cc/api), next to tab/dist which it serves.
 */
function dereferenceWorkspaceLinks(out: string): void {
  for (const ws of SERVER_WORKSPACES) {
    const link = join(out, "node_modules/@cc", ws);
    if (!existsSync(link) || !lstatSync(link).isSymbolicLink()) continue;
    rmSync(link);
    if (ws !== "api") renameSync(join(out, ws), link);
  }
}

/** The system `zip` when there is one (fast, streams); otherwise JSZip in memory. */
async function zipFolder(dir: string, zipPath: string): Promise<void> {
  rmSync(zipPath, { force: true });
  const system = spawnSync("zip", ["-q", "-r", "-X", zipPath, "."], { cwd: dir, stdio: "inherit" });
  if (system.status === 0) return;
  const zip = new JSZip();
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else zip.file(relative(dir, full).split("\\").join("/"), readFileSync(full), { date: new Date("2000-01-01T00:00:00Z"), unixPermissions: stat.mode });
    }
  };
  walk(dir);
  writeFileSync(zipPath, await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 6 }, platform: "UNIX" }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf("--out");
  const out = resolve(outIndex >= 0 ? args[outIndex + 1] : join(repoRoot, ".deploy/app"));
  packageDeploy(out, { zip: !args.includes("--no-zip") }).then(
    ({ dir, zipPath }) => console.log(`deploy package: ${dir}${zipPath ? ` and ${zipPath}` : ""} (App Service runs: ${START_COMMAND})`),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
