/**
 * Every setting the app reads, checked in one place. README.md's configuration table mirrors this.
 */
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const configSchema = z
  .object({
    NODE_ENV: z.string().default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: z.string().default("0.0.0.0"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    DATA_DIR: z.string().default(".data"),
    /** Azure Cosmos DB endpoint; unset = the embedded local Cosmos-compatible server. */
    COSMOS_ENDPOINT: z.string().url().optional(),
    /** Account key; unset with COSMOS_ENDPOINT = managed identity (DefaultAzureCredential). */
    COSMOS_KEY: z.string().optional(),
    COSMOS_DATABASE: z.string().default("credits"),
    SNAPSHOT_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000),
    AUTH_MODE: z.enum(["dev", "entra"]).default("dev"),
    /** Entra ID app (client) id; the audience of Teams SSO tokens is api://<domain>/<client id> or the id itself. */
    ENTRA_CLIENT_ID: z.string().optional(),
    ENTRA_AUDIENCE: z.string().optional(),
    /** Comma-separated tenant ids allowed to call the API; empty = any tenant (multi-tenant app). */
    ENTRA_ALLOWED_TENANTS: z.string().default(""),
    ENTRA_AUTHORITY: z.string().url().default("https://login.microsoftonline.com"),
    /** Card processor base URL (Stripe-compatible wire format); unset = the embedded sandbox. */
    PROCESSOR_URL: z.string().url().optional(),
    PROCESSOR_SECRET_KEY: z.string().default("sk_test_sandbox"),
    /** Largest single card charge (funds or recharge), in micros. Default 10,000.00. */
    MAX_CHARGE_MICROS: z.coerce.number().int().positive().default(10_000_000_000),
    /** Microsoft Graph base URL; unset = the embedded local directory. */
    GRAPH_BASE_URL: z.string().url().optional(),
    GRAPH_CLIENT_ID: z.string().optional(),
    GRAPH_CLIENT_SECRET: z.string().optional(),
    BOT_ID: z.string().default(""),
    BOT_PASSWORD: z.string().default(""),
    BOT_TENANT_ID: z.string().optional(),
    BOT_TYPE: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).default("MultiTenant"),
    /** The Teams app's id in the app catalog (manifest id): Graph installs it for admins who never opened it, and card deep links open its tab. */
    TEAMS_APP_ID: z.string().default("00000000-0000-4000-8000-0000000c7ed1"),
    /** Where to open a 1:1 chat with an admin the tenant has no conversation with yet; unset = Teams' global endpoint (the local connector without BOT_ID). */
    BOT_SERVICE_URL: z.string().url().default("https://smba.trafficmanager.net/teams/"),
    /** How often background jobs (recharge retries, expiry sweep) run; 0 = never (tests drive them). */
    JOBS_INTERVAL_MS: z.coerce.number().int().min(0).default(15_000),
    SEED_DEMO: bool.default(true),
    TAB_DIST: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.AUTH_MODE === "dev" && c.NODE_ENV === "production") {
      ctx.addIssue({ code: "custom", path: ["AUTH_MODE"], message: "AUTH_MODE=dev is refused when NODE_ENV=production" });
    }
    if (c.NODE_ENV === "production") {
      // The embedded local world (store, sandbox card processor, directory) is for development only.
      for (const key of ["COSMOS_ENDPOINT", "PROCESSOR_URL", "GRAPH_BASE_URL"] as const) {
        if (!c[key]) ctx.addIssue({ code: "custom", path: [key], message: `${key} is required when NODE_ENV=production` });
      }
    }
    if (c.AUTH_MODE === "entra" && !c.ENTRA_CLIENT_ID) {
      ctx.addIssue({ code: "custom", path: ["ENTRA_CLIENT_ID"], message: "AUTH_MODE=entra needs ENTRA_CLIENT_ID" });
    }
  });

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  // An empty variable means unset, as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  return { ...parsed.data, ...overrides };
}
