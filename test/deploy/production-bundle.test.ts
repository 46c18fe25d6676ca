/**
 * The local world is fenced off in the built output, not only in the source: the API is compiled
 * as `npm run build:server` compiles it (api/tsconfig.build.json, into a fresh folder), and the
 * import graph of the JavaScript that App Service runs (api/dist/index.js) is walked. No module
 * under local/ may be reachable by a static import; the local world is loaded by the one dynamic
 * import in world.js, which runs only with APP_ENV=local.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = process.cwd();
let out: string;

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repo, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

/** The relative specifiers a compiled module imports, statically and dynamically. */
function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const found = { static: [] as string[], dynamic: [] as string[] };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.static.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments;
      // A computed specifier would hide what is loaded: the walk must see every one.
      if (!specifier || !ts.isStringLiteral(specifier)) throw new Error(`${file}: a dynamic import of a computed specifier`);
      found.dynamic.push(specifier.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every module statically reachable from `entry` within the compiled API (packages are not followed: they cannot import the API). */
function staticGraph(entry: string): { modules: Set<string>; dynamic: { from: string; to: string }[] } {
  const modules = new Set<string>();
  const dynamic: { from: string; to: string }[] = [];
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (modules.has(file)) continue;
    modules.add(file);
    const imports = importsOf(file);
    for (const specifier of imports.static.filter((s) => s.startsWith("."))) pending.push(resolve(dirname(file), specifier));
    for (const specifier of imports.dynamic.filter((s) => s.startsWith("."))) dynamic.push({ from: relative(out, file), to: relative(out, resolve(dirname(file), specifier)) });
  }
  return { modules, dynamic };
}

beforeAll(() => {
  // The API compiles against the other workspaces' built output (the "dist" condition), as in npm run build:server.
  run("npm", ["run", "build", "-w", "common", "-w", "bot"]);
  out = mkdtempSync(join(tmpdir(), "cc-api-build-"));
  run(join(repo, "node_modules/.bin/tsc"), ["-p", "api/tsconfig.build.json", "--outDir", out, "--tsBuildInfoFile", join(out, ".tsbuildinfo"), "--sourceMap", "false"]);
}, 600_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe("the production build", () => {
  it("reaches no module of the local world from its entry point", () => {
    const { modules } = staticGraph(join(out, "index.js"));
    const reached = [...modules].map((file) => relative(out, file));
    // The walk did follow the app: the composition root, the HTTP server and the money code are in it.
    expect(reached).toEqual(expect.arrayContaining(["index.js", "app.js", "wiring.js", "world.js", "ledger/ledger-writer.js"]));
    expect(reached.filter((file) => file.startsWith("local/"))).toEqual([]);
  });

  it("loads the local world only through world.js's dynamic import, and the build holds it for APP_ENV=local", () => {
    const { dynamic } = staticGraph(join(out, "index.js"));
    expect(dynamic.filter((edge) => edge.to.startsWith("local/"))).toEqual([{ from: "world.js", to: "local/index.js" }]);
    expect(existsSync(join(out, "local/index.js"))).toBe(true);
    expect(readFileSync(join(out, "world.js"), "utf8")).toMatch(/if \(config\.APP_ENV === "local"\) \{\s+const \{ openLocalWorld \} = await import\("\.\/local\/index\.js"\)/);
  });
});
