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
import { gzipSync } from "node:zlib";
import { LRUCache } from "lru-cache";
import type { Piscina } from "piscina";
import type { Server } from "restify";
import type { Logger } from "pino";
import type { FirstFrame, FirstFrameInput } from "@cc/common";
import type { Services } from "../../wiring.js";
import { Refusal } from "../../shared/refusal.js";
import { answer, type Authorizer } from "../router.js";
import { firstFrameQuery } from "../validation.js";
import { localeOf, meOf, type PaymentLimits } from "./me.js";

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
      pool ??= import("piscina").then(({ Piscina }) => new Piscina({ filename: pathToFileURL(bundle).href, minThreads: 0, maxThreads: 1, maxQueue: 32, idleTimeout: 10 * 60_000, execArgv: [] }));
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

export function mountFirstFrame(server: Server, s: Services, auth: Authorizer, limits: PaymentLimits, drawer: FirstFrameDrawer, log: Logger): void {
  server.get("/tab/first-frame", answer(log, async (req) => {
    const caller = await auth.caller(req);
    const query = firstFrameQuery.parse(req.query ?? {});
    const me = await meOf(s, caller, localeOf(req), limits);
    const account = me.can.read ? await s.accounts.view(caller.tenantId) : undefined;
    const frame = await drawer.draw({ session: { kind: query.session, upn: caller.upn, displayName: caller.name }, theme: query.theme, language: query.lang, me, account });
    if (!frame) throw new Refusal(404, "not_found", "The tab's first frame is not drawn by this server");
    const headers: Record<string, string> = { "cache-control": "no-store", vary: "Authorization, Accept-Language, Accept-Encoding", "content-type": "application/json; charset=utf-8" };
    const json = JSON.stringify({ ...frame, me, account });
    // Markup and CSS: about 100 KB that gzip brings to a sixth.
    if (/\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))) {
      return { status: 200, stream: async (res) => void res.sendRaw(200, gzipSync(json, { level: 6 }), { ...headers, "content-encoding": "gzip" }) };
    }
    return { status: 200, stream: async (res) => void res.sendRaw(200, json, headers) };
  }));
}
