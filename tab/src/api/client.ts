/**
 * The tab's one door to the API: adds the bearer token, turns application/problem+json (and any
 * other failure, network included) into a typed ApiError, and nothing else. No money rules here.
 */
import type { ProblemDetails } from "@cc/common";

/** status 0 means the request never got an answer (network down, server stopped). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDetails;

  constructor(problem: ProblemDetails) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.problem = problem;
  }

  get code(): string | undefined {
    return this.problem.code;
  }

  /** Seconds the server asked us to wait (429 Retry-After), when it said. */
  get retryAfterSeconds(): number | undefined {
    const value = (this.problem as ProblemDetails & { retryAfter?: number }).retryAfter;
    return typeof value === "number" && value > 0 ? value : undefined;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /**
   * True when we cannot know whether the server acted (no answer, 5xx, throttled): the same
   * submission may be retried with the same Idempotency-Key. Any other answer is final.
   */
  get outcomeUnknown(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }

  /** The message for a form field, matching the problem's `errors[].path` by its last segment. */
  fieldError(field: string): string | undefined {
    const match = this.problem.errors?.find((e) => lastSegment(e.path) === field);
    return match?.message;
  }
}

function lastSegment(path: string): string {
  const parts = path.split(/[./[\]]+/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  idempotencyKey?: string;
}

export interface ApiClientOptions {
  /** Returns the bearer token to send, or null to call anonymously. */
  getToken(): Promise<string | null>;
  /** Called on any 401 so the app can drop a stale session. */
  onUnauthorized?(): void;
  /** The Accept-Language to send, so the API's `detail` texts come in the user's language. */
  language?(): string;
  /** Told while a throttled request waits for its Retry-After (seconds), and with 0 when it resumes. */
  onThrottled?(seconds: number): void;
  /** Where the API is; "" (the default) is the tab's own origin. */
  baseUrl?: string;
  /** Waits between automatic retries (tests pass a fast one). */
  sleep?(ms: number): Promise<void>;
}

/** Reads are retried this many times on a network failure or a 5xx before the error is shown. */
const READ_RETRIES = 2;
/** A 429 is waited out when the server asks for at most this long; longer, the user decides. */
const MAX_THROTTLE_WAIT_S = 30;

export interface DownloadedFile {
  blob: Blob;
  fileName: string | null;
}

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>("GET", path, { query });
  }

  post<T>(path: string, body: unknown, idempotencyKey?: string): Promise<T> {
    return this.request<T>("POST", path, { body, idempotencyKey });
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("PUT", path, { body });
  }

  delete(path: string): Promise<void> {
    return this.request<void>("DELETE", path, {});
  }

  async request<T>(method: string, path: string, { query, body, idempotencyKey }: RequestOptions): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    const response = await this.send(method, withQuery(path, query), headers, body === undefined ? undefined : JSON.stringify(body));
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    // A server without this endpoint may answer an /api path with the tab's own index.html (its
    // client-side-route fallback): that is "no such endpoint here", i.e. a 404, not a broken answer.
    if (text && !/json/i.test(response.headers.get("Content-Type") ?? "")) {
      // No detail: a person reads the catalog's "not found" words (errors.ts), never this object's title.
      throw new ApiError({ type: "about:blank", title: "Not Found", status: 404 });
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Fetch a file (e.g. the usage export) with the bearer token; the caller saves the blob. */
  async download(path: string, query?: Query): Promise<DownloadedFile> {
    const response = await this.send("GET", withQuery(path, query), {}, undefined);
    return { blob: await response.blob(), fileName: fileNameOf(response.headers.get("Content-Disposition")) };
  }

  private async send(method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<Response> {
    // Money-moving POSTs carry an Idempotency-Key, so repeating them is as safe as repeating a read.
    const repeatable = method === "GET" || method === "PUT" || method === "DELETE" || headers["Idempotency-Key"] !== undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.sendOnce(method, url, headers, body);
      } catch (err) {
        if (!(err instanceof ApiError) || !repeatable) throw err;
        const wait = err.retryAfterSeconds;
        if (err.status === 429 && wait !== undefined && wait <= MAX_THROTTLE_WAIT_S && attempt < READ_RETRIES) {
          this.options.onThrottled?.(wait);
          await this.sleep(wait * 1000);
          this.options.onThrottled?.(0);
          continue;
        }
        if (method === "GET" && (err.status === 0 || err.status >= 500) && attempt < READ_RETRIES) {
          await this.sleep(400 * 2 ** attempt);
          continue;
        }
        throw err;
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.options.sleep ? this.options.sleep(ms) : new Promise((ok) => setTimeout(ok, ms));
  }

  private async sendOnce(method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<Response> {
    const token = await this.options.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    const language = this.options.language?.();
    if (language) headers["Accept-Language"] = language;
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl ?? ""}${url}`, { method, headers, body });
    } catch (err) {
      throw new ApiError({
        type: "about:blank",
        title: "Cannot reach the server",
        status: 0,
        detail: err instanceof Error ? err.message : String(err),
      });
    }
    if (response.ok) return response;
    if (response.status === 401) this.options.onUnauthorized?.();
    const problem = await problemOf(response);
    const retryAfter = retryAfterOf(response.headers.get("Retry-After"));
    throw new ApiError(retryAfter === undefined ? problem : ({ ...problem, retryAfter } as ProblemDetails));
  }
}

/** Retry-After as seconds (delta-seconds or an HTTP date). */
function retryAfterOf(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(1, Math.ceil((at - Date.now()) / 1000));
}

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Any non-2xx answer becomes a ProblemDetails, whether or not the server spoke problem+json. */
async function problemOf(response: Response): Promise<ProblemDetails> {
  const fallback: ProblemDetails = { type: "about:blank", title: response.statusText || `HTTP ${response.status}`, status: response.status };
  let parsed: unknown;
  try {
    parsed = JSON.parse(await response.text());
  } catch {
    return fallback;
  }
  if (!parsed || typeof parsed !== "object") return fallback;
  const body = parsed as Partial<ProblemDetails> & { message?: string };
  return {
    ...fallback,
    ...body,
    title: body.title ?? body.message ?? fallback.title,
    status: response.status,
  };
}

function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ""));
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : null;
}
