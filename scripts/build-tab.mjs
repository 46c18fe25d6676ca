// Builds the tab (vite) unless nothing it is built from changed since the last build: a SHA-256 of
// every input file (tab/ without dist and node_modules, common/src that it imports, the lockfile)
// is kept in tab/dist/.build-stamp. `--force` rebuilds anyway. The build makes tab/dist (served at
// "/") and tab/dist-server (the first frame's server bundle, see tab/src/first-frame/render.tsx).
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const stampFile = join(root, "tab/dist/.build-stamp");
const inputs = ["tab", "common/src", "common/package.json", "package-lock.json"];
const skipped = new Set(["dist", "node_modules"]);

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => !skipped.has(name))
    .sort()
    .flatMap((name) => files(join(path, name)));
}

const hash = createHash("sha256");
for (const file of inputs.flatMap((input) => files(join(root, input)))) {
  hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
}
const stamp = hash.digest("hex");

const built =
  existsSync(join(root, "tab/dist/index.html")) && existsSync(join(root, "tab/dist-server/render.js")) && existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === stamp;
if (built && !process.argv.includes("--force")) {
  console.log("tab: unchanged since the last build (tab/dist is current)");
  process.exit(0);
}
const result = spawnSync("npm", ["run", "build", "-w", "tab"], { cwd: root, stdio: "inherit" });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stampFile, `${stamp}\n`);
