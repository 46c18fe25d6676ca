/**
 * The part of restify 11's API this app uses. @types/restify stops at restify 8 (callback-only
 * handlers, different plugin signatures), so the app declares the 11.x surface it relies on here
 * instead of type-checking against the wrong major version. Handlers may be async (restify 9+):
 * an async handler takes (req, res) and must not call next.
 */
declare module "restify" {
  import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
  import type { AddressInfo } from "node:net";

  export interface Request extends IncomingMessage {
    /** The parsed body (jsonBodyParser with mapParams: false). */
    body?: unknown;
    /** The parsed query string (queryParser with mapParams: false). */
    query?: Record<string, unknown>;
    /** Route parameters (":id"). */
    params: Record<string, string>;
    /** The path without the query string. */
    getPath(): string;
    /** When the request arrived, in ms since the epoch. */
    time(): number;
  }

  export interface Response extends ServerResponse {
    /** Write status, headers and body as given, without restify's formatters. */
    sendRaw(code: number, body?: string | Buffer, headers?: Record<string, string | number>): void;
    json(code: number, body: unknown, headers?: Record<string, string | number>): void;
  }

  export type Next = (error?: unknown) => void;
  /** A callback handler: calls next() to go on, next(false) to stop, next(error) to fail. */
  export type RequestHandler = (req: Request, res: Response, next: Next) => unknown;
  /** An async handler (restify 9+): resolves to go on, rejects to fail. */
  export type AsyncRequestHandler = (req: Request, res: Response) => Promise<unknown>;
  type Handler = RequestHandler | AsyncRequestHandler;
  type RouteSpec = string | RegExp | { path: string | RegExp; name?: string };

  export interface Server {
    readonly server: HttpServer;
    pre(...handlers: (Handler | Handler[])[]): Server;
    use(...handlers: (Handler | Handler[])[]): Server;
    get(route: RouteSpec, ...handlers: (Handler | Handler[])[]): void;
    head(route: RouteSpec, ...handlers: (Handler | Handler[])[]): void;
    post(route: RouteSpec, ...handlers: (Handler | Handler[])[]): void;
    put(route: RouteSpec, ...handlers: (Handler | Handler[])[]): void;
    patch(route: RouteSpec, ...handlers: (Handler | Handler[])[]): void;
    del(route: RouteSpec, ...handlers: (Handler | Handler[])[]): void;
    opts(route: RouteSpec, ...handlers: (Handler | Handler[])[]): void;
    on(event: "after", listener: (req: Request, res: Response, route: unknown, error?: unknown) => void): Server;
    on(event: "restifyError", listener: (req: Request, res: Response, error: Error, next: Next) => void): Server;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each event's listener takes its own arguments (restify's own typing)
    on(event: string, listener: (...args: any[]) => void): Server;
    listen(port: number, host: string, callback: () => void): HttpServer;
    close(callback?: () => void): HttpServer;
    address(): AddressInfo;
  }

  export interface ServerOptions {
    name?: string;
    /** restify 11 catches uncaught exceptions only through domains when true; this app keeps it false. */
    handleUncaughtExceptions?: boolean;
  }

  export function createServer(options?: ServerOptions): Server;

  export namespace plugins {
    interface QueryParserOptions {
      mapParams?: boolean;
    }
    interface BodyParserOptions {
      mapParams?: boolean;
      /** Larger bodies are refused with 413. */
      maxBodySize?: number;
    }
    function queryParser(options?: QueryParserOptions): RequestHandler;
    function jsonBodyParser(options?: BodyParserOptions): RequestHandler[];
    /** Gzips what the route writes when the caller accepts gzip (zlib options). */
    function gzipResponse(options?: import("node:zlib").ZlibOptions): RequestHandler;
  }

  const restify: { createServer: typeof createServer; plugins: typeof plugins };
  export default restify;
}
