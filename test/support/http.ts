/** A small HTTP client for the API as the tab and outside tools use it. */
import { randomUUID } from "node:crypto";
import { call } from "../../api/src/local/cli/dev-client.js";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  as(token: string): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  static async signIn(baseUrl: string, upn: string): Promise<ApiClient> {
    const res = await new ApiClient(baseUrl).post<{ token: string }>("/api/dev/token", { upn });
    if (res.status !== 200) throw new Error(`sign-in as ${upn} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return new ApiClient(baseUrl, res.body.token);
  }

  /** An admin signed in whose organisation has a Visa card on file and `units` of funds added with it. */
  static async funded(baseUrl: string, upn: string, units: number): Promise<ApiClient> {
    const admin = await ApiClient.signIn(baseUrl, upn);
    const card = await admin.post("/api/v1/payment-methods", { token: "tok_visa" });
    if (card.status !== 201) throw new Error(`adding ${upn}'s card failed: ${card.status} ${JSON.stringify(card.body)}`);
    const funds = await admin.postMoney("/api/v1/account/funds", { amountMicros: usd(units) });
    if (funds.status !== 201) throw new Error(`funding ${upn}'s account failed: ${funds.status} ${JSON.stringify(funds.body)}`);
    return admin;
  }

  get<T = any>(path: string): Promise<ApiResponse<T>> {
    return this.send<T>("GET", path);
  }
  post<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.send<T>("POST", path, body, headers);
  }
  put<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    return this.send<T>("PUT", path, body);
  }
  delete<T = any>(path: string): Promise<ApiResponse<T>> {
    return this.send<T>("DELETE", path);
  }

  /** POST a money-moving request with an Idempotency-Key (a fresh one unless given). */
  postMoney<T = any>(path: string, body: unknown, key: string = randomUUID(), headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.send<T>("POST", path, body, { ...headers, "idempotency-key": key });
  }

  send<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return call<T>(this.baseUrl, method, path, this.token, body, headers);
  }
}

export const usd = (units: number) => units * 1_000_000;

/** Send, and send again after its Retry-After while the answer is 429 (as the tab and a polite client do). */
export async function honouring429<T>(send: () => Promise<ApiResponse<T>>, attempts = 20): Promise<ApiResponse<T>> {
  for (let i = 1; ; i++) {
    const res = await send();
    if (res.status !== 429 || i >= attempts) return res;
    await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after") ?? "1") * 1000));
  }
}
