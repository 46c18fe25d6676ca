/**
 * GET /api/v1/openapi.json: the contract (http/contract.ts) as OpenAPI 3.1, without sign-in. It
 * depends only on which routes this server mounts, so it is rendered once, on the first request.
 */
import type { Server } from "restify";
import type { Logger } from "pino";
import { openApiDocument } from "../openapi-document.js";
import { answer } from "../router.js";

export function mountOpenApi(server: Server, options: { dev: boolean }, log: Logger): void {
  let document: ReturnType<typeof openApiDocument> | undefined;
  server.get(
    "/api/v1/openapi.json",
    answer(log, async () => {
      document ??= openApiDocument(options);
      return { status: 200, body: document, headers: { "cache-control": "public, max-age=300" } };
    }),
  );
}
