/**
 * Dev-only routes (AUTH_MODE=dev, never in production): sign in as a demo user, simulate usage,
 * run the background jobs now.
 */
import type { Server } from "restify";
import type { DevRouteDeps, LocalGraphOutbox } from "../../local-world.js";
import type { z } from "zod";
import { aligned, type Same } from "../../http/answer-parts.js";
import type { botMessages } from "../../http/answers.js";
import { refuse } from "../../shared/refusal.js";
import { idempotentAnswer } from "../../http/money.js";
import { actorOf, answer } from "../../http/router.js";
import { devDebitBody, devTokenBody } from "../../http/validation.js";
import type { LocalBotConnector, SentActivity } from "../bot/local-bot-connector.js";

// The answer of GET /api/dev/bot-messages is what the local Bot Connector recorded (http/answers.ts).
aligned<Same<z.output<typeof botMessages>["items"][number], SentActivity>>();

function tenantOf(activity: Record<string, unknown>): string | undefined {
  const conversation = activity.conversation as { tenantId?: string } | undefined;
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return conversation?.tenantId ?? channelData?.tenant?.id;
}

export function mountDev(server: Server, s: DevRouteDeps, botConnector?: LocalBotConnector, localGraph?: LocalGraphOutbox): void {
  const { auth, devTokens: issuer, logger: log } = s;
  server.post(
    "/api/dev/token",
    answer(log, async (req) => {
      const { upn } = devTokenBody.parse(req.body);
      const tenantId = s.tenantIdForUpn(upn.toLowerCase());
      const user = tenantId ? (await s.directory.users(tenantId)).find((u) => u.upn.toLowerCase() === upn.toLowerCase()) : undefined;
      if (!tenantId || !user) throw refuse.notFound("A demo user with this upn", "demo_user");
      const token = await issuer.issue({ tid: tenantId, oid: user.id, upn: user.upn, name: user.displayName, wids: user.roles });
      return { status: 200, body: { token, tenantId, userId: user.id, upn: user.upn, displayName: user.displayName, roles: user.roles } };
    }),
  );

  /** Simulated usage until real call records flow: a usage debit of the caller's own tenant. */
  server.post(
    "/api/dev/debit",
    answer(log, async (req) => {
      const caller = await auth.require(req, "billing");
      const { amountMicros } = devDebitBody.parse(req.body);
      return idempotentAnswer(s.idempotency, req, caller.tenantId, "dev-debit", { amountMicros }, 201, (key) =>
        s.usage.simulateDebit(caller.tenantId, actorOf(caller), amountMicros, key),
      );
    }),
  );

  server.get(
    "/api/dev/bot-messages",
    answer(log, async (req) => {
      const caller = await auth.require(req, "read");
      const items = (botConnector?.sent() ?? []).filter((m) => tenantOf(m.activity) === caller.tenantId).reverse();
      return { status: 200, body: { items, next: null } };
    }),
  );

  /** What the local Graph received for the caller's tenant: e-mails (newest first) and activity feed items. */
  server.get(
    "/api/dev/graph-outbox",
    answer(log, async (req) => {
      const caller = await auth.require(req, "read");
      const mails = (localGraph?.mails(caller.tenantId) ?? []).reverse();
      const feedItems = (localGraph?.feedItems(caller.tenantId) ?? []).reverse();
      return { status: 200, body: { mails, feedItems } };
    }),
  );

  server.post(
    "/api/dev/jobs/run",
    answer(log, async (req) => {
      await auth.require(req, "read");
      return { status: 200, body: await s.jobs.runNow() };
    }),
  );
}
