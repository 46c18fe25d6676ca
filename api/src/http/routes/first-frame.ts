/**
 * GET /tab/first-frame: the tab's overview drawn on the server for the signed-in caller, with the
 * answers it was drawn from (/me's and the account's). The tab's boot script asks for it while the
 * app's bundle downloads and shows it at once; React then draws the same page from the same
 * answers and takes over. Not part of the API contract (API.md): the tab's own, same token, same
 * roles (a caller who may not read the account gets the page that says so, and no account).
 * The drawing is the tab's own server bundle (tab/dist-server/render.js, built with the tab);
 * without it this answers 404, and 503 when it cannot draw now: the tab then draws itself.
 */
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { LRUCache } from "lru-cache";
import type { Piscina } from "piscina";
import type { UnreachedEvents } from "../../notifications/unreached.js";
import restify, { type Server } from "restify";
import type { Logger } from "pino";
import { negotiateLanguage, type FirstFrame, type FirstFrameInput, type PaymentLimits } from "@cc/common";
import type { Accounts } from "../../accounts/accounts.js";
import type { Directory } from "../../directory/directory.js";
import { Refusal } from "../../shared/refusal.js";
import { answer, type Authorizer } from "../router.js";
import { firstFrameQuery } from "../validation.js";
import { localeOf, meOf } from "./me.js";

export interface FirstFrameDrawer {
  /** The drawing, or null when this server has no server bundle of the tab. */
  draw(input: FirstFrameInput): Promise<FirstFrame | null>;
  close(): Promise<void>;
}

/**
 * Draws in a worker thread (piscina), so a drawing (10–60 ms of React) never holds up the API's
 * other requests. The worker starts with the first drawing asked of this instance (an instance
 * that serves no tab never loads piscina or React), and stays while drawings keep coming. At most 32
 * drawings wait; beyond, and on any failure, the caller is told 503 and the tab draws itself. A
 * drawing depends on its input alone, so the last ones are kept by input (a reload with nothing
 * changed is not drawn again), within 16 MB.
 */
export function firstFrameDrawer(bundle: string, log: Logger): FirstFrameDrawer {
  if (!existsSync(bundle)) return { draw: async () => null, close: async () => undefined };
  let pool: Promise<Piscina<FirstFrameInput, FirstFrame>> | undefined;
  const drawn = new LRUCache<string, FirstFrame>({ maxSize: 16 * 1024 * 1024, sizeCalculation: (frame) => frame.html.length + frame.css.length });
  return {
    async draw(input) {
      const key = JSON.stringify(input);
      const known = drawn.get(key);
      if (known) return known;
      // The bundle is plain JavaScript: the worker starts without the parent's loaders (tsx under
      // `npm start` would take ten times longer to load it).
      pool ??= import("piscina").then(
        ({ Piscina }) => new Piscina({ filename: pathToFileURL(bundle).href, minThreads: 0, maxThreads: 1, maxQueue: 32, idleTimeout: 10 * 60_000, execArgv: [] }),
      );
      let frame: FirstFrame;
      try {
        frame = await (await pool).run(input);
      } catch (err) {
        log.warn({ err, bundle }, "the tab's first frame was not drawn: the tab draws itself");
        throw new Refusal(503, "not_drawn", "The first frame could not be drawn now; the tab draws itself");
      }
      drawn.set(key, frame);
      return frame;
    },
    close: async () => (await pool)?.destroy(),
  };
}

/**
 * `session`: the kind of session this server's tokens make (dev tokens in the local world, Teams
 * SSO otherwise), which the tab's header shows. The language is the caller's, as /me says it.
 */
/** What this route reads (meOf reads the directory). */
export interface FirstFrameRouteDeps {
  accounts: Pick<Accounts, "view">;
  directory: Directory;
  unreachedEvents: Pick<UnreachedEvents, "call">;
}

export function mountFirstFrame(
  server: Server,
  s: FirstFrameRouteDeps,
  auth: Authorizer,
  limits: PaymentLimits,
  session: FirstFrameInput["session"]["kind"],
  drawer: FirstFrameDrawer,
  log: Logger,
): void {
  // Markup and CSS: about 100 KB, which gzip (restify's plugin, when the caller accepts it) brings to a sixth.
  server.get(
    "/tab/first-frame",
    restify.plugins.gzipResponse(),
    answer(log, async (req) => {
      const caller = await auth.caller(req);
      const { theme } = firstFrameQuery.parse(req.query ?? {});
      const me = await meOf(s, caller, localeOf(req), limits);
      // The same account answer as GET /api/v1/account, the nobody-told warning included.
      const account = me.can.read ? { ...(await s.accounts.view(caller.tenantId)), unreachedEvents: await s.unreachedEvents.call(caller.tenantId) } : undefined;
      const language = negotiateLanguage(me.locale);
      const frame = await drawer.draw({ session: { kind: session, upn: caller.upn, displayName: caller.name }, theme, language, me, account });
      if (!frame) throw new Refusal(404, "not_found", "The tab's first frame is not drawn by this server", [], { what: "first_frame" });
      return { status: 200, body: { ...frame, me, account }, headers: { "cache-control": "no-store", vary: "Authorization, Accept-Language, Accept-Encoding" } };
    }),
  );
}
