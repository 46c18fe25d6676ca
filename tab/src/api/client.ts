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
}

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
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Fetch a file (e.g. the usage export) with the bearer token; the caller saves the blob. */
  async download(path: string, query?: Query): Promise<DownloadedFile> {
    const response = await this.send("GET", withQuery(path, query), {}, undefined);
    return { blob: await response.blob(), fileName: fileNameOf(response.headers.get("Content-Disposition")) };
  }

  private async send(method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<Response> {
    const token = await this.options.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body });
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
    throw new ApiError(await problemOf(response));
  }
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
