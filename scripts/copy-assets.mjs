// Copies what tsc does not emit (JSON data read at run time, card templates) from src to dist,
// keeping the folder layout, so code that reads `new URL("../data/x.json", import.meta.url)` finds it.
import { cpSync, readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";

const [from, to] = process.argv.slice(2);
if (!from || !to) throw new Error("usage: node scripts/copy-assets.mjs <src> <dist>");
const compiled = new Set([".ts", ".tsx", ".mts", ".cts"]);

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (!compiled.has(extname(name))) cpSync(path, join(to, path.slice(from.length)));
  }
}
walk(from);
