/**
 * /api/messages without a bot registration (APP_ENV=local, BOT_ID empty): the Bot Framework SDK
 * then checks no token, so only this machine may post activities, and the bot may only answer to
 * a serviceUrl on this machine (the local Bot Connector or the Bot Framework Emulator). Otherwise
 * anyone could make the bot send a tenant's balance to an address of their choosing.
 */
import type { Request } from "restify";
import { z } from "zod";
import { isLoopbackUrl } from "../config.js";
import { Refusal } from "../shared/refusal.js";

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const ip = address.startsWith("::ffff:") ? address.slice(7) : address;
  return ip === "::1" || /^127(\.\d{1,3}){3}$/.test(ip);
}

/** Throws 401 unless the unauthenticated activity comes from, and answers to, this machine. */
export function acceptBotActivity(req: Request): void {
  if (!isLoopbackAddress(req.socket.remoteAddress)) {
    throw new Refusal(401, "unauthenticated_activity", "This bot has no Bot Framework registration (BOT_ID): it accepts activities from this machine only", [], {
      why: "loopback",
    });
  }
  const serviceUrl = (req.body as { serviceUrl?: unknown } | undefined)?.serviceUrl;
  if (typeof serviceUrl !== "string" || !isLoopbackUrl(serviceUrl)) {
    throw new Refusal(401, "unauthenticated_activity", "Without a Bot Framework registration (BOT_ID) the bot answers only to a serviceUrl on this machine", [], {
      why: "service_url",
    });
  }
}

/**
 * The shape every Bot Framework activity has (Bot Framework Activity schema), checked before the
 * Teams AI library sees it: the library assumes these fields and failed with 501 ("missing
 * context.activity.recipient.id") on an invoke without them. A malformed activity is 400 in words.
 */
const channelAccount = z.looseObject({ id: z.string().min(1, "must not be empty").max(512) });
const activityShape = z
  .looseObject({
    type: z.string().min(1, "must not be empty").max(64),
    id: z.string().max(512).optional(),
    channelId: z.string().min(1, "must not be empty").max(64),
    serviceUrl: z.url({ error: "must be the URL Teams gave" }).max(2048),
    from: channelAccount,
    recipient: channelAccount,
    conversation: z.looseObject({ id: z.string().min(1, "must not be empty").max(2048) }),
    name: z.string().max(256).optional(),
    text: z.string().max(100_000).optional(),
  })
  .superRefine((activity, ctx) => {
    if (activity.type !== "invoke") return;
    if (!activity.name) ctx.addIssue({ code: "custom", path: ["name"], message: "an invoke names what it invokes" });
    if (activity.value === undefined || activity.value === null) ctx.addIssue({ code: "custom", path: ["value"], message: "an invoke carries a value" });
  });

/** Throws 400 (with each wrong field) unless the body is an activity the bot can handle. */
export function acceptActivityShape(body: unknown): void {
  const parsed = activityShape.safeParse(body);
  if (parsed.success) return;
  const errors = parsed.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(activity)", message: i.message }));
  throw new Refusal(400, "invalid_activity", `This is not a Bot Framework activity the bot can handle: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`, errors);
}
