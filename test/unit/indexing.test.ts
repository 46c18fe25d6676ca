/**
 * Issue 21: every container indexes only the paths its queries filter or order by. The queries
 * are found in the source (every SQL string under api/src, the embedded store's own code
 * excepted) and must all be listed in api/src/store/queries.ts with their container; each one's
 * WHERE and ORDER BY paths must be in that container's indexing policy (containers.ts, the same in
 * infra/modules/cosmos.bicep: test/deploy/infra.test.ts), and no container indexes a path no query
 * uses. The embedded store ignores indexing policies, so this is what checks Azure's.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTAINERS, CONTAINER_NAMES, indexesPath as indexed, type ContainerName, type IndexedContainerPolicy } from "../../api/src/store/containers.js";
import { QUERIES } from "../../api/src/store/queries.js";

const ROOT = "api/src";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === join(ROOT, "local") ? [] : sourceFiles(path);
    return e.name.endsWith(".ts") && path !== join(ROOT, "store", "queries.ts") ? [path] : [];
  });
}

/** Every string literal of the source that is a query: "SELECT …", 'SELECT …' or `SELECT …`. */
function queriesInSource(): { file: string; sql: string }[] {
  return sourceFiles(ROOT).flatMap((path) =>
    [...readFileSync(path, "utf8").matchAll(/(["'`])(SELECT\s[\s\S]*?)\1/g)].map((m) => ({ file: relative(ROOT, path).split("\\").join("/"), sql: m[2] })),
  );
}

/** The index paths a query needs: what its WHERE (subqueries included) and ORDER BY name, as `/a/b/?`. */
export function pathsOf(sql: string): { filtered: string[]; ordered: string[][] } {
  const where = sql.indexOf(" WHERE ");
  if (where < 0) return { filtered: [], ordered: [] };
  const rest = sql.slice(where);
  const orderAt = rest.search(/ ORDER BY /);
  const filterText = orderAt < 0 ? rest : rest.slice(0, orderAt);
  // Aliases over arrays: `l IN c.head.lots` makes `l.x` the path /head/lots/[]/x.
  const aliases = new Map<string, string>([["c", ""]]);
  for (const m of sql.matchAll(/\b(\w+) IN c\.([\w.]+)/g)) aliases.set(m[1], `/${m[2].split(".").join("/")}/[]`);
  const toPath = (alias: string, dotted: string) => `${aliases.get(alias)}/${dotted.split(".").join("/")}/?`;
  const refs = (text: string) => [...text.matchAll(/(\bIN )?\b(\w+)\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)/g)].filter((m) => !m[1] && aliases.has(m[2])).map((m) => toPath(m[2], m[3]));
  const ordered =
    orderAt < 0
      ? []
      : [
          rest
            .slice(orderAt + " ORDER BY ".length)
            .split(",")
            .flatMap((part) => refs(part)),
        ];
  return { filtered: [...new Set(refs(filterText))], ordered };
}

function policyOf(name: ContainerName): IndexedContainerPolicy {
  return (CONTAINERS[name] as { indexingPolicy: IndexedContainerPolicy }).indexingPolicy;
}

describe("indexing policies against the queries", () => {
  it("reads the paths of a query (so the checks below can fail)", () => {
    expect(pathsOf("SELECT c.x FROM c WHERE c.tenantId = @t AND c.a.b < 1 ORDER BY c.d DESC, c.e ASC")).toEqual({
      filtered: ["/tenantId/?", "/a/b/?"],
      ordered: [["/d/?", "/e/?"]],
    });
    expect(pathsOf("SELECT c.id FROM c WHERE EXISTS(SELECT VALUE l FROM l IN c.head.lots WHERE l.expiresAt <= @now)").filtered).toEqual(["/head/lots/[]/expiresAt/?"]);
    const policy = { includedPaths: [{ path: "/day/?" }], excludedPaths: [{ path: "/*" }] } as IndexedContainerPolicy;
    expect(indexed(policy, "/day/?")).toBe(true);
    expect(indexed(policy, "/sortKey/?")).toBe(false);
    expect(indexed({ includedPaths: [{ path: "/*" }], excludedPaths: [{ path: "/day/?" }] }, "/day/?")).toBe(false);
    expect(indexed({ includedPaths: [{ path: "/*" }], excludedPaths: [{ path: '/"_etag"/?' }] }, "/day/?")).toBe(true);
  });

  it("lists every query of the source, with its container, and only those", () => {
    const key = (q: { file: string; sql: string }) => `${q.file}: ${q.sql}`;
    expect(queriesInSource().map(key).sort()).toEqual(QUERIES.map(key).sort());
    for (const q of QUERIES) {
      const text = readFileSync(join(ROOT, q.file), "utf8");
      // The file names its container (containers.usage, a `rollups` field, a comment saying "in the outbox").
      expect(new RegExp(`\\b${q.container}\\b`).test(text), `${q.file} does not name the ${q.container} container`).toBe(true);
    }
  });

  it("gives every container its own policy that excludes everything but what is listed", () => {
    for (const name of CONTAINER_NAMES) {
      const policy = policyOf(name);
      expect(policy, `${name} has no indexing policy`).toBeDefined();
      expect(policy.indexingMode, name).toBe("consistent");
      expect(policy.excludedPaths, name).toEqual([{ path: "/*" }]);
      for (const p of policy.includedPaths) expect(p.path, `${name}: index scalar paths only`).toMatch(/^(\/[\w[\]]+)+\/\?$/);
    }
  });

  it("indexes every path a query filters or orders by (composite indexes for several ORDER BY fields)", () => {
    for (const q of QUERIES) {
      const policy = policyOf(q.container);
      const { filtered, ordered } = pathsOf(q.sql);
      for (const path of [...filtered, ...ordered.flat()]) expect(indexed(policy, path), `${q.container} must index ${path} for ${q.file}: ${q.sql}`).toBe(true);
      for (const fields of ordered.filter((o) => o.length > 1)) {
        const composites = (policy.compositeIndexes ?? []).map((c) => c.map((p) => p.path));
        expect(composites, `${q.container} needs a composite index on ${fields.join(", ")}`).toContainEqual(fields.map((f) => f.slice(0, -2)));
      }
    }
  });

  it("indexes no path that no query of the container uses", () => {
    for (const name of CONTAINER_NAMES) {
      const used = new Set(QUERIES.filter((q) => q.container === name).flatMap((q) => [...pathsOf(q.sql).filtered, ...pathsOf(q.sql).ordered.flat()]));
      for (const p of policyOf(name).includedPaths) expect(used.has(p.path), `${name} indexes ${p.path}, which no query uses`).toBe(true);
    }
  });

  it("indexes nothing in the containers only read by id", () => {
    for (const name of ["idempotency", "audit", "state"] as const) expect(policyOf(name).includedPaths, name).toEqual([]);
  });
});
