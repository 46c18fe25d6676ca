/**
 * GET /api/v1/me: who the caller is and what they may do, so the tab offers only the actions the
 * caller's roles allow. Any signed-in user of a known tenant gets an answer (with `can.read` false
 * when they hold no admin role): the tab needs it to say so in one clear page.
 */
import type { Request, Server } from "restify";
import type { Logger } from "pino";
import { LOCALE_OF, hasPermission, negotiateLanguage, requestedLanguages, type MeAnswer, type PaymentLimits } from "@cc/common";
import type { Directory } from "../../directory/directory.js";
import { answer, type Authorizer, type Caller } from "../router.js";

/** What this route reads. */
export interface MeRouteDeps {
  directory: Directory;
}

export function mountMe(server: Server, s: MeRouteDeps, auth: Authorizer, limits: PaymentLimits, log: Logger): void {
  server.get(
    "/api/v1/me",
    answer(log, async (req) => {
      const body = await meOf(s, await auth.caller(req), localeOf(req), limits);
      return { status: 200, body, headers: { "cache-control": "no-store", vary: "Authorization, Accept-Language" } };
    }),
  );
}

/** What GET /api/v1/me answers for this caller (the tab's first frame draws from the same answer). */
export async function meOf(s: MeRouteDeps, caller: Caller, locale: string, limits: PaymentLimits): Promise<MeAnswer> {
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

/**
 * The caller's locale for /me, by the product's one language negotiation (q-values honoured): the
 * caller's own tag when it names the chosen language ("fr-CA"), else that language's default.
 */
export function localeOf(req: Request): string {
  const header = String(req.headers["accept-language"] ?? "");
  const language = negotiateLanguage(header);
  const own = requestedLanguages(header).find((tag) => negotiateLanguage(tag) === language && /^[a-z]{2}-[a-z]{2}$/i.test(tag));
  return own ? `${own.slice(0, 2).toLowerCase()}-${own.slice(3).toUpperCase()}` : LOCALE_OF[language];
}
