/**
 * `npm run package [-- <env>]`: appPackage/build/appPackage.<env>.zip from env/.env.<env> (and
 * env/.env.<env>.user when present), offline, the way Teams Toolkit's teamsApp/zipAppPackage does:
 * every `${{NAME}}` in the manifest and its localisation files is replaced by the environment's
 * value, and a placeholder without a value stops the build with its name.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import JSZip from "jszip";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const appPackageDir = join(repoRoot, "appPackage");

export interface AppPackageOptions {
  /** Environment name (dev, local, ...): names the zip and, unless envFiles is given, the env file. */
  env: string;
  /** Env files to read, later ones winning; default env/.env.<env> and env/.env.<env>.user. */
  envFiles?: string[];
  /** Where the zip is written; default appPackage/build. */
  outDir?: string;
}

export interface AppPackage {
  zipPath: string;
  /** The files in the zip, by name, as written. */
  files: Map<string, Buffer>;
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

export function readEnvFiles(files: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const file of files) Object.assign(values, parseEnv(readFileSync(file, "utf8")));
  return values;
}

/** Replace every `${{NAME}}`; throws naming every placeholder that has no (non-empty) value. */
export function resolvePlaceholders(text: string, values: Record<string, string | undefined>, source: string): string {
  const missing = new Set<string>();
  const resolved = text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name] ?? process.env[name];
    if (value === undefined || value === "") {
      missing.add(name);
      return "";
    }
    return value;
  });
  if (missing.size > 0) throw new Error(`${source}: no value for ${[...missing].join(", ")} (set them in the env file or the environment)`);
  return resolved;
}

/** The manifest plus every file it names (icons, localisation files). */
export function packageFileNames(manifest: {
  icons: { color: string; outline: string };
  localizationInfo?: { defaultLanguageFile?: string; additionalLanguages?: { file: string }[] };
}): string[] {
  const localisation = manifest.localizationInfo;
  return [
    "manifest.json",
    manifest.icons.color,
    manifest.icons.outline,
    ...(localisation?.defaultLanguageFile ? [localisation.defaultLanguageFile] : []),
    ...(localisation?.additionalLanguages ?? []).map((language) => language.file),
  ];
}

export async function buildAppPackage(options: AppPackageOptions): Promise<AppPackage> {
  const envFiles =
    options.envFiles ?? [join(repoRoot, "env", `.env.${options.env}`), join(repoRoot, "env", `.env.${options.env}.user`)].filter((file, i) => i === 0 || existsSync(file));
  for (const file of envFiles) if (!existsSync(file)) throw new Error(`env file not found: ${file}`);
  const values = readEnvFiles(envFiles);

  const manifestText = resolvePlaceholders(readFileSync(join(appPackageDir, "manifest.json"), "utf8"), values, "manifest.json");
  const files = new Map<string, Buffer>();
  for (const name of packageFileNames(JSON.parse(manifestText))) {
    const raw = readFileSync(join(appPackageDir, name));
    files.set(name, name.endsWith(".json") ? Buffer.from(name === "manifest.json" ? manifestText : resolvePlaceholders(raw.toString("utf8"), values, name)) : raw);
  }

  const zip = new JSZip();
  // A fixed date keeps the zip byte-for-byte the same for the same inputs.
  const date = new Date("2000-01-01T00:00:00Z");
  for (const [name, content] of files) zip.file(name, content, { date });
  const outDir = options.outDir ?? join(appPackageDir, "build");
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, `appPackage.${options.env}.zip`);
  writeFileSync(zipPath, await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" }));
  return { zipPath, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const env = process.argv[2] ?? process.env.TEAMSFX_ENV ?? "dev";
  buildAppPackage({ env }).then(
    ({ zipPath, files }) => console.log(`${zipPath}: ${[...files.keys()].join(", ")}`),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
