/**
 * The one shape of a money-moving route: require an Idempotency-Key, run the work once per
 * (tenant, scope, key), and answer a replay exactly as the first time (refusals included).
 */
import type { Request } from "restify";
import type { IdempotencyService, StoredAnswer } from "../store/idempotency.js";
import { answerOrThrow } from "../store/idempotency.js";
import type { Answer } from "./router.js";
import { idempotencyKey } from "./validation.js";

export async function idempotentAnswer(
  idempotency: IdempotencyService,
  req: Request,
  tenantId: string,
  scope: string,
  body: unknown,
  work: (key: string) => Promise<StoredAnswer>,
): Promise<Answer> {
  const key = idempotencyKey(req.headers);
  const result = await idempotency.run(tenantId, scope, key, body, () => work(key));
  return { status: result.status, body: answerOrThrow(result), headers: { "idempotent-replayed": String(result.replayed) } };
}
