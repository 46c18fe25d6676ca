/**
 * Every setting the app reads, checked in one place. README.md's configuration table mirrors this.
 */
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
/** "Production", "production " and "PRODUCTION" are one value: compare what people meant. */
const normalised = z.string().transform((v) => v.trim().toLowerCase());
const positiveInt = z.coerce.number().int().positive();

/** NODE_ENV values under which the embedded world may run. */
const LOCAL_NODE_ENVS = ["development", "test"];

/** True for http(s)://localhost, 127.x.x.x and [::1] URLs: a service on this machine, never a real one. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}

const configSchema = z
  .object({
    /**
     * `local` = the embedded world (embedded store, sandbox processor, local directory, local Bot
     * Connector, dev tokens); set by `npm start`. Unset = cloud: every real endpoint is required.
     */
    APP_ENV: normalised.pipe(z.enum(["local", "cloud"])).default("cloud"),
    NODE_ENV: normalised.default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    /** Interface to listen on; default 127.0.0.1 with APP_ENV=local, 0.0.0.0 otherwise (container, App Service). */
    HOST: z.string().optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    DATA_DIR: z.string().default(".data"),
    /** Azure Cosmos DB endpoint; unset = the embedded local Cosmos-compatible server. */
    COSMOS_ENDPOINT: z.string().url().optional(),
    /** Account key; unset with COSMOS_ENDPOINT = managed identity (DefaultAzureCredential). */
    COSMOS_KEY: z.string().optional(),
    COSMOS_DATABASE: z.string().default("credits"),
    SNAPSHOT_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000),
    /** Embedded store: days usage records and rollups are kept (the Bicep's usageRetentionDays in Azure). */
    USAGE_RETENTION_DAYS: z.coerce.number().int().positive().default(396),
    /** Default: dev with APP_ENV=local, entra otherwise. */
    AUTH_MODE: z.enum(["dev", "entra"]).optional(),
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
    /** On SIGTERM, how long requests in flight and the work they started may take before the process stops anyway (what is left resumes at the next start). */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
    TAB_DIST: z.string().optional(),
    /** Requests per second a tenant may make (sustained, per instance), and how many more it may burst per 10 s. */
    RATE_LIMIT_TENANT_PER_SECOND: positiveInt.default(200),
    RATE_LIMIT_TENANT_BURST: positiveInt.default(1000),
    /** Requests per second one user may make (sustained, per instance), and how many more it may burst per 10 s. */
    RATE_LIMIT_USER_PER_SECOND: positiveInt.default(50),
    RATE_LIMIT_USER_BURST: positiveInt.default(250),
    /** Writes (POST/PUT/PATCH/DELETE under /api/v1) this instance runs at once, and how many may wait; one more is answered 429 (http/admission.ts). */
    WRITE_CONCURRENCY: positiveInt.default(16),
    WRITE_QUEUE: positiveInt.default(16),
    /**
     * Of those, what one tenant may hold: its writes at once and waiting for its turn; one tenant's
     * flood leaves room for the others. 2 at once, measured: a tenant's writes mostly go to its one
     * account, which takes one posting at a time, so 4 at once got fewer through than 2 (retried races).
     */
    WRITE_CONCURRENCY_PER_TENANT: positiveInt.default(2),
    WRITE_QUEUE_PER_TENANT: positiveInt.default(64),
    /** Writes a second one tenant starts on an instance, evenly spaced: a flooding tenant waits in its own queue instead of taking every other tenant's CPU. */
    WRITE_RATE_PER_TENANT: positiveInt.default(20),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const endpoints = ["COSMOS_ENDPOINT", "PROCESSOR_URL", "GRAPH_BASE_URL"] as const;
    if (c.APP_ENV === "local") {
      // The embedded world mints Global Administrator tokens for any tenant: never next to real data.
      if (!LOCAL_NODE_ENVS.includes(c.NODE_ENV)) {
        issue("APP_ENV", `APP_ENV=local (embedded world, dev sign-in) runs only with NODE_ENV development or test, not "${c.NODE_ENV}"`);
      }
      for (const key of endpoints) {
        const url = c[key];
        if (url && !isLoopbackUrl(url)) issue(key, `APP_ENV=local refuses a real ${key} (${new URL(url).host}): only services on this machine (localhost, 127.0.0.1, ::1)`);
      }
      return;
    }
    // Cloud: nothing embedded, nothing unauthenticated.
    if (c.AUTH_MODE === "dev") issue("AUTH_MODE", "AUTH_MODE=dev is refused unless APP_ENV=local");
    for (const key of endpoints) {
      if (!c[key]) issue(key, `${key} is required unless APP_ENV=local (the embedded store, sandbox processor and local directory run only locally)`);
    }
    if (!c.BOT_ID) issue("BOT_ID", "BOT_ID is required unless APP_ENV=local: /api/messages verifies Bot Framework tokens for this bot");
  })
  .superRefine((c, ctx) => {
    if (authModeOf(c) === "entra" && !c.ENTRA_CLIENT_ID) ctx.addIssue({ code: "custom", path: ["ENTRA_CLIENT_ID"], message: "AUTH_MODE=entra needs ENTRA_CLIENT_ID" });
  })
  .transform((c) => ({ ...c, HOST: c.HOST ?? (c.APP_ENV === "local" ? "127.0.0.1" : "0.0.0.0"), AUTH_MODE: authModeOf(c) }));

function authModeOf(c: { APP_ENV: "local" | "cloud"; AUTH_MODE?: "dev" | "entra" }): "dev" | "entra" {
  return c.AUTH_MODE ?? (c.APP_ENV === "local" ? "dev" : "entra");
}

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
