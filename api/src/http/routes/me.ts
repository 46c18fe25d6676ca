/**
 * GET /api/v1/me: who the caller is and what they may do, so the tab offers only the actions the
 * caller's roles allow. Any signed-in user of a known tenant gets an answer (with `can.read` false
 * when they hold no admin role): the tab needs it to say so in one clear page.
 */
import type { Request, Server } from "restify";
import type { Logger } from "pino";
import { hasPermission, type MeAnswer, type PaymentLimits } from "@cc/common";
import type { Services } from "../../wiring.js";
import { answer, type Authorizer, type Caller } from "../router.js";

export function mountMe(server: Server, s: Services, auth: Authorizer, limits: PaymentLimits, log: Logger): void {
  server.get("/api/v1/me", answer(log, async (req) => {
    const body = await meOf(s, await auth.caller(req), localeOf(req), limits);
    return { status: 200, body, headers: { "cache-control": "no-store", vary: "Authorization, Accept-Language" } };
  }));
}

/** What GET /api/v1/me answers for this caller (the tab's first frame draws from the same answer). */
export async function meOf(s: Services, caller: Caller, locale: string, limits: PaymentLimits): Promise<MeAnswer> {
  const user = (await s.directory.users(caller.tenantId)).find((u) => u.id === caller.userId);
  return {
    tenantId: caller.tenantId,
    userId: caller.userId,
    upn: caller.upn,
    displayName: user?.displayName ?? caller.name,
    roles: caller.roles,
    locale,
    can: {
      read: hasPermission(caller.roles, "read"),
      moveMoney: hasPermission(caller.roles, "billing"),
      manageLicenses: hasPermission(caller.roles, "licenses"),
      // Notification and guard settings are billing decisions (DESIGN.md §1) until they get their own roles.
      manageNotifications: hasPermission(caller.roles, "billing"),
      manageGuard: hasPermission(caller.roles, "guard"),
    },
    limits,
  };
}

/** The first supported language the caller's Accept-Language names: French or English. */
export function localeOf(req: Request): string {
  const header = String(req.headers["accept-language"] ?? "");
  const tags = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((t) => t.tag && Number.isFinite(t.q) && t.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    if (tag === "fr" || tag.startsWith("fr-")) return /^fr-[a-z]{2}$/.test(tag) ? `fr-${tag.slice(3).toUpperCase()}` : "fr-FR";
    if (tag === "en" || tag.startsWith("en-")) return /^en-[a-z]{2}$/.test(tag) ? `en-${tag.slice(3).toUpperCase()}` : "en-US";
  }
  return "en-US";
}
