/**
 * The one shape of a money-moving route: require an Idempotency-Key, run the use case once per
 * (tenant, scope, key), and answer a replay exactly as the first time (refusals included).
 */
import type { Request } from "restify";
import type { IdempotencyService } from "../store/idempotency.js";
import type { Answer } from "./router.js";
import { idempotencyKey } from "./validation.js";

export async function idempotentAnswer<T>(
  idempotency: IdempotencyService,
  req: Request,
  tenantId: string,
  scope: string,
  body: unknown,
  status: number,
  useCase: (key: string) => Promise<T>,
): Promise<Answer> {
  const key = idempotencyKey(req.headers);
  const { result, replayed } = await idempotency.run(tenantId, scope, key, body, () => useCase(key));
  return { status, body: result, headers: { "idempotent-replayed": String(replayed) } };
}
