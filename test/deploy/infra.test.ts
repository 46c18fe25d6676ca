/**
 * infra/ against the code and teamsapp.yml, offline (no Bicep compiler installs here; README says
 * how to run `az bicep build`). The Bicep is kept regular — one container per line, one
 * `param name type` per line, module params one per line — so these regexes read it reliably.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { NODE_FLAGS, START_COMMAND } from "../../scripts/node-runtime.js";
import {
  CONTAINERS,
  CONTAINER_NAMES,
  DEFAULT_USAGE_RETENTION_DAYS,
  MONTH_PARTITION_KEY_PATH,
  partitionPathOf,
  type IndexedContainerPolicy,
} from "../../api/src/store/containers.js";

const read = (path: string) => readFileSync(path, "utf8");

interface BicepFile {
  params: Map<string, { type: string; required: boolean }>;
  outputs: Set<string>;
  modules: { name: string; path: string; params: string[] }[];
}

function parseBicep(file: string): BicepFile {
  const text = read(file);
  const params = new Map<string, { type: string; required: boolean }>();
  for (const m of text.matchAll(/^param (\w+) (\w+)( = .*)?$/gm)) params.set(m[1], { type: m[2], required: !m[3] });
  const outputs = new Set([...text.matchAll(/^output (\w+) /gm)].map((m) => m[1]));
  const modules = [...text.matchAll(/^module (\w+) '([^']+)' = \{\n([\s\S]*?)\n\}$/gm)].map((m) => {
    const block = /^ {2}params: \{\n([\s\S]*?)\n {2}\}$/m.exec(m[3]);
    return { name: m[1], path: join(dirname(file), m[2]), params: block ? [...block[1].matchAll(/^ {4}(\w+): /gm)].map((p) => p[1]) : [] };
  });
  return { params, outputs, modules };
}

function bicepContainers(): Map<string, { partitionKey: string; uniqueKeys: string[][]; defaultTtl: number | undefined; includedPaths: string[] }> {
  const text = read("infra/modules/cosmos.bicep");
  const list = /^var containers = \[\n([\s\S]*?)\n\]$/m.exec(text);
  expect(list, "cosmos.bicep: var containers = [ ... ]").not.toBeNull();
  const usageDays = Number(/^param usageRetentionDays int = (\d+)$/m.exec(text)?.[1]);
  expect(/^var usageTtl = usageRetentionDays \* 86400$/m.test(text)).toBe(true);
  const found = new Map<string, { partitionKey: string; uniqueKeys: string[][]; defaultTtl: number | undefined; includedPaths: string[] }>();
  for (const line of list![1].split("\n").filter((l) => l.trim() && !l.trim().startsWith("//"))) {
    const m = /^ {2}\{ name: '(\w+)', partitionKey: '([^']+)', uniqueKeys: \[(.*)\], defaultTtl: (-1|\d+|usageTtl), includedPaths: \[(.*)\] \}$/.exec(line);
    expect(m, `cosmos.bicep container line not in the regular form: ${line}`).not.toBeNull();
    const uniqueKeys = [...m![3].matchAll(/\{ paths: \[ ([^\]]*) \] \}/g)].map((k) => [...k[1].matchAll(/'([^']+)'/g)].map((p) => p[1]));
    const defaultTtl = m![4] === "-1" ? undefined : m![4] === "usageTtl" ? usageDays * 86_400 : Number(m![4]);
    const includedPaths = [...m![5].matchAll(/\{ path: '([^']+)' \}/g)].map((p) => p[1]);
    found.set(m![1], { partitionKey: m![2], uniqueKeys, defaultTtl, includedPaths });
  }
  return found;
}

describe("infra/modules/cosmos.bicep and api/src/store/containers.ts", () => {
  it("creates every container the code uses, and no other, with the same partition key and unique keys", () => {
    const bicep = bicepContainers();
    expect([...bicep.keys()].sort()).toEqual([...CONTAINER_NAMES].sort());
    for (const name of CONTAINER_NAMES) {
      const code = CONTAINERS[name] as { uniqueKeyPolicy?: { uniqueKeys: { paths: string[] }[] } };
      expect(bicep.get(name)!.partitionKey, name).toBe(partitionPathOf(name));
      expect(bicep.get(name)!.uniqueKeys, name).toEqual((code.uniqueKeyPolicy?.uniqueKeys ?? []).map((k) => k.paths));
      expect(bicep.get(name)!.defaultTtl, `${name}'s time to live`).toBe((code as { defaultTtl?: number }).defaultTtl);
    }
    expect(bicep.get("usage")!.defaultTtl, "usage is kept 13 months by default").toBe(DEFAULT_USAGE_RETENTION_DAYS * 86_400);
    expect(bicep.get("ledger")!.defaultTtl, "the ledger never expires").toBeUndefined();
    expect(bicep.get("state"), "the Graph poller's watermarks").toBeDefined();
  });

  it("partitions the containers that grow every month and are kept long by tenant and month, the rest by tenant", () => {
    const bicep = bicepContainers();
    for (const name of CONTAINER_NAMES) {
      // What openStore creates locally and checks in Azure: the definition's own partitionKey, else /tenantId.
      const code = (CONTAINERS[name] as { partitionKey?: { paths: string[] } }).partitionKey?.paths ?? ["/tenantId"];
      expect(code, name).toEqual([bicep.get(name)!.partitionKey]);
    }
    expect(bicep.get("usage")!.partitionKey, "usage: a tenant's month per logical partition").toBe(MONTH_PARTITION_KEY_PATH);
    expect(bicep.get("audit")!.partitionKey, "audit is kept forever").toBe(MONTH_PARTITION_KEY_PATH);
    // Kept a bounded time (TTL), so a tenant's partition holds a bounded window: by tenant alone.
    for (const name of ["idempotency", "outbox"]) expect(bicep.get(name)!.defaultTtl, `${name} expires`).toBeGreaterThan(0);
  });

  it("applies each container's indexing policy of the code: only its listed paths, everything else excluded", () => {
    const text = read("infra/modules/cosmos.bicep");
    const bicep = bicepContainers();
    for (const name of CONTAINER_NAMES) {
      const policy = (CONTAINERS[name] as { indexingPolicy?: IndexedContainerPolicy }).indexingPolicy;
      expect(policy, `${name} has its own indexing policy`).toBeDefined();
      expect(bicep.get(name)!.includedPaths, `${name}'s indexed paths`).toEqual(policy!.includedPaths.map((p) => p.path));
      // The resource below applies exactly these, so the code's other settings must be the resource's.
      expect(policy!.indexingMode).toBe("consistent");
      expect(policy!.automatic).toBe(true);
      expect(policy!.excludedPaths).toEqual([{ path: "/*" }]);
      expect(policy!.compositeIndexes ?? [], `${name}: composite indexes are not in cosmos.bicep yet`).toEqual([]);
    }
    const resource = /^ {6}indexingPolicy: \{\n([\s\S]*?)\n {6}\}$/m.exec(text);
    expect(resource, "the container resource's indexingPolicy block").not.toBeNull();
    expect(resource![1].split("\n").map((l) => l.trim())).toEqual([
      "indexingMode: 'consistent'",
      "automatic: true",
      "includedPaths: c.includedPaths",
      "excludedPaths: [ { path: '/*' } ]",
    ]);
    // The container resource uses exactly those per-container values.
    expect(text).toMatch(/paths: \[ c\.partitionKey \]/);
    expect(text).toMatch(/uniqueKeys: c\.uniqueKeys/);
    expect(text).toMatch(/defaultTtl: c\.defaultTtl == -1 \? null : c\.defaultTtl/);
  });

  it("is serverless by default with autoscale as a parameter, and keyless", () => {
    const cosmos = parseBicep("infra/modules/cosmos.bicep");
    expect(read("infra/modules/cosmos.bicep")).toMatch(/^param throughputMode string = 'serverless'$/m);
    expect(cosmos.params.has("autoscaleMaxThroughput")).toBe(true);
    expect(read("infra/modules/cosmos.bicep")).toMatch(/disableLocalAuth: true/);
  });
});

describe("infra/azure.bicep and teamsapp.yml", () => {
  const main = parseBicep("infra/azure.bicep");

  it("passes every module only parameters it declares, and every parameter it requires", () => {
    expect(main.modules.length).toBeGreaterThanOrEqual(8);
    for (const module of main.modules) {
      const declared = parseBicep(module.path).params;
      for (const param of module.params) expect(declared.has(param), `${module.name} passes ${param}, which ${module.path} does not declare`).toBe(true);
      for (const [param, { required }] of declared) if (required) expect(module.params, `${module.name} must pass ${param}`).toContain(param);
    }
  });

  it("gets from teamsapp.yml only parameters azure.bicep declares, and every one it requires, with values the environment defines", () => {
    const yml = parseYaml(read("teamsapp.yml")) as { provision: { uses: string; with?: any; writeToEnvironmentFile?: Record<string, string> }[] };
    const deploy = yml.provision.find((step) => step.uses === "arm/deploy");
    expect(deploy).toBeDefined();
    const templates = deploy!.with.templates as { path: string; parameters: string }[];
    expect(templates.map((t) => t.path)).toEqual(["./infra/azure.bicep"]);
    const parametersFile = read(templates[0].parameters);
    const passed = JSON.parse(parametersFile).parameters as Record<string, { value: unknown }>;
    for (const name of Object.keys(passed)) expect(main.params.has(name), `teamsapp.yml passes ${name}, which azure.bicep does not declare`).toBe(true);
    for (const [name, { required }] of main.params) if (required) expect(Object.keys(passed), `azure.bicep requires ${name}`).toContain(name);

    // Every ${{VAR}} the parameters use is in env/.env.dev, the .user sample (secrets), or written by an earlier step.
    const known = new Set([
      ...Object.keys(parseEnv(read("env/.env.dev"))),
      ...Object.keys(parseEnv(read("env/.env.dev.user.sample"))),
      ...yml.provision.flatMap((step) => Object.values(step.writeToEnvironmentFile ?? {})),
    ]);
    for (const m of parametersFile.matchAll(/\$\{\{(\w+)\}\}/g)) expect(known.has(m[1]), `${m[1]} is not defined for the dev environment`).toBe(true);
  });

  it("writes back every value the app package and the deploy step read", () => {
    const written = new Set([
      ...main.outputs,
      ...Object.values((parseYaml(read("teamsapp.yml")).provision as any[]).flatMap((s) => Object.values(s.writeToEnvironmentFile ?? {}))),
    ]);
    const used = new Set(
      [
        ...read("appPackage/manifest.json").matchAll(/\$\{\{(\w+)\}\}/g),
        ...read("teamsapp.yml")
          .split("\ndeploy:")[1]
          .matchAll(/\$\{\{(\w+)\}\}/g),
      ].map((m) => m[1]),
    );
    for (const name of used) if (!["APP_NAME_SUFFIX", "TEAMSFX_ENV"].includes(name)) expect(written.has(name as never), `${name} is read but nothing writes it`).toBe(true);
  });

  it("starts Node with the same flags wherever the app runs: App Service, npm start, start:dist", () => {
    expect(START_COMMAND).toBe(`node ${NODE_FLAGS.join(" ")} api/dist/index.js`);
    const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;
    for (const name of ["start", "start:dist"]) {
      const node = /(?:^|&& )node ((?:--[\w-]+(?:=\S+)? )+)/.exec(scripts[name])?.[1].trim().split(" ") ?? [];
      for (const flag of NODE_FLAGS) expect(node, `npm run ${name}`).toContain(flag);
    }
  });

  it("runs the compiled app with plain node and wires identity, App Insights and the bot's managed identity", () => {
    const site = read("infra/modules/appservice.bicep");
    expect(/appCommandLine: '([^']+)'/.exec(site)?.[1]).toBe(START_COMMAND);
    expect(site).not.toMatch(/tsx/);
    expect(site).toMatch(/type: 'UserAssigned'/);
    expect(site).toMatch(/keyVaultReferenceIdentity: identityId/);
    expect(site).toMatch(/AZURE_CLIENT_ID: identityClientId/);
    expect(site).toMatch(/BOT_TYPE: 'UserAssignedMSI'/);
    expect(site).toMatch(/APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString/);
    expect(site).toMatch(/category: 'AppServiceConsoleLogs'/);
    expect(read("infra/modules/botservice.bicep")).toMatch(/msaAppType: 'UserAssignedMSI'/);
    expect(read("infra/modules/botservice.bicep")).toMatch(/channelName: 'MsTeamsChannel'/);
    expect(read("teamsapp.yml")).not.toMatch(/SECRET_BOT_PASSWORD|botAadApp\/create/);
  });
});
