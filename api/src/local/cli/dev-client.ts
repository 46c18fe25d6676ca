/**
 * What the dev CLIs (simulate, debit) share: find a demo tenant, sign in to the RUNNING app as its
 * first Billing or Global Administrator through POST /api/dev/token, and call the API.
 */
import { BILLING_ROLES, DEMO_TENANTS, type DemoTenant } from "@cc/common";
import { say } from "./words.js";

export const DEFAULT_URL = process.env.CC_URL ?? `http://localhost:${process.env.PORT ?? 3978}`;

export function demoTenant(name: string): DemoTenant {
  const tenant = DEMO_TENANTS.find((t) => t.name === name.toLowerCase() || t.tenantId === name);
  if (!tenant) throw new CliError(say("cli.unknownTenant", { name, tenants: DEMO_TENANTS.map((t) => t.name).join(", ") }));
  return tenant;
}

export class CliError extends Error {}

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export class DevClient {
  private constructor(
    readonly baseUrl: string,
    private readonly token: string,
    readonly upn: string,
  ) {}

  /** Sign in as the tenant's first Billing or Global Administrator. */
  static async signIn(baseUrl: string, tenant: DemoTenant): Promise<DevClient> {
    const admin = tenant.users.find((u) => u.roles.some((r) => BILLING_ROLES.includes(r)));
    if (!admin) throw new CliError(say("cli.noBillingAdmin", { tenant: tenant.name }));
    const res = await call<{ token: string }>(baseUrl, "POST", "/api/dev/token", undefined, { upn: admin.upn });
    if (res.status !== 200) throw new CliError(say("cli.signInFailed", { upn: admin.upn, status: res.status, body: JSON.stringify(res.body) }));
    return new DevClient(baseUrl, res.body.token, admin.upn);
  }

  get<T>(path: string): Promise<Answer<T>> {
    return call<T>(this.baseUrl, "GET", path, this.token);
  }

  post<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    return call<T>(this.baseUrl, "POST", path, this.token, body, headers);
  }
}

/** One JSON request to the API (a string body is sent as it is: raw JSON text); the answer's body parsed when it is JSON. */
export async function call<T>(baseUrl: string, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  let res: Response;
  try {
    res = await fetch(new URL(path, baseUrl), {
      method,
      headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
  } catch (err) {
    throw new CliError(say("cli.unreachable", { url: baseUrl, cause: String((err as Error).cause ?? (err as Error).message) }));
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Run a CLI's main: a CliError is a message for people, anything else a bug with its stack. */
export function runCli(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err instanceof CliError ? say("cli.error", { message: err.message }) : err);
    process.exit(1);
  });
}
