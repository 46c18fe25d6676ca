/**
 * zod schemas of what the API answers, for the OpenAPI document (http/contract.ts) and the tests
 * that hold real answers to it, one file per capability: answers-account.ts, answers-usage.ts,
 * answers-notifications.ts, and this one (the problem, health, the dev routes). The TypeScript
 * shapes stay where the tab and the bot read them (common/src/api.ts) and where the use cases make
 * them; each schema is checked against its type at compile time (`aligned` in answer-parts.ts,
 * both directions), so the document cannot drift from the code's own types without typecheck
 * failing. Objects are closed (additionalProperties false in the document), so a field added to an
 * answer without its schema is caught by the answer tests.
 */
import { z } from "zod";
import type { LocalFeedItemView, LocalMailView, ProblemDetails } from "@cc/common";
import type { JobsReport } from "../jobs.js";
import { aligned, instant, page, roleIds, type Same } from "./answer-parts.js";

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string().optional().meta({ description: "what went wrong, for programs: invalid_input, forbidden, rate_limited, card_declined, below_minimum, …" }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "application/problem+json (RFC 9457)" });
aligned<Same<z.output<typeof problem>, ProblemDetails>>();

export const health = z.object({ status: z.literal("ok") });

export const devToken = z.object({ token: z.string(), tenantId: z.string(), userId: z.string(), upn: z.string(), displayName: z.string(), roles: roleIds });

export const jobsReport = z.object({
  rechargesRetried: z.number().int(),
  expiriesPosted: z.number().int(),
  usageRecordsRecovered: z.number().int(),
  chargesRecovered: z.number().int(),
  expiringCardsWarned: z.number().int(),
  notificationsDelivered: z.number().int(),
});
aligned<Same<z.output<typeof jobsReport>, JobsReport>>();

export const botMessages = page(
  z.object({ at: instant, conversationId: z.string(), activityId: z.string(), activity: z.record(z.string(), z.unknown()), updates: z.number().int() }),
);
// Checked against the local Bot Connector's SentActivity in local/http/dev.ts (the local world imports production, never the reverse).

/** What the local Graph received: e-mails as a person reads them and activity feed items with their text. */
export const graphOutbox = z.object({
  mails: z.array(z.object({ at: instant, from: z.string(), to: z.array(z.string()), subject: z.string(), html: z.string(), text: z.string(), format: z.enum(["json", "mime"]) })),
  feedItems: z.array(
    z.object({ at: instant, userId: z.string(), activityType: z.string(), chainId: z.number().int().nullable(), text: z.string(), previewText: z.string(), webUrl: z.string() }),
  ),
});
aligned<Same<z.output<typeof graphOutbox>["mails"][number], LocalMailView>>();
aligned<Same<z.output<typeof graphOutbox>["feedItems"][number], LocalFeedItemView>>();

/** The OpenAPI document itself: an object, described by the OpenAPI 3.1 specification rather than here. */
export const openApiDocument = z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) });
