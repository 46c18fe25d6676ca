/**
 * GET /tab/first-frame: the tab's overview drawn on the server for the signed-in caller, with the
 * answers it was drawn from (/me's and the account's). The tab's boot script asks for it while the
 * app's bundle downloads and shows it at once; React then draws the same page from the same
 * answers and takes over. Not part of the API contract (API.md): the tab's own, same token, same
 * roles (a caller who may not read the account gets the page that says so, and no account).
 * The drawing is the tab's own server bundle (tab/dist-server/render.js, built with the tab);
 * without it this answers 404 and the tab draws itself as before.
 */
import { existsSync } from "node:fs";
import { LRUCache } from "lru-cache";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import type { Server } from "restify";
import type { Logger } from "pino";
import type { FirstFrame, FirstFrameInput } from "@cc/common";
import type { Services } from "../../wiring.js";
import { Refusal } from "../../shared/refusal.js";
import { answer, type Authorizer } from "../router.js";
import { firstFrameQuery } from "../validation.js";
import { localeOf, meOf, type PaymentLimits } from "./me.js";

type Render = (input: FirstFrameInput) => FirstFrame;

/**
 * Loads the tab's server bundle once, at start (importing React and Fluent takes a moment), so no
 * caller waits for it; null when the tab was built without it. A drawing depends on its input
 * alone, so the last ones are kept by input (a reload with nothing changed is not drawn again),
 * within 16 MB.
 */
export function firstFrameDrawer(bundle: string, log: Logger): { draw(input: FirstFrameInput): Promise<FirstFrame | null> } {
  const drawn = new LRUCache<string, FirstFrame>({ maxSize: 16 * 1024 * 1024, sizeCalculation: (frame) => frame.html.length + frame.css.length });
  const loaded: Promise<Render | null> = existsSync(bundle)
    ? import(pathToFileURL(bundle).href).then(
        (module: { renderFirstFrame: Render }) => module.renderFirstFrame,
        (err: unknown) => {
          log.warn({ err, bundle }, "the tab's first frame cannot be drawn on the server: the tab draws itself");
          return null;
        },
      )
    : Promise.resolve(null);
  return {
    async draw(input) {
      const render = await loaded;
      if (!render) return null;
      const key = JSON.stringify(input);
      const frame = drawn.get(key) ?? render(input);
      drawn.set(key, frame);
      return frame;
    },
  };
}

export function mountFirstFrame(server: Server, s: Services, auth: Authorizer, limits: PaymentLimits, drawer: ReturnType<typeof firstFrameDrawer>, log: Logger): void {
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
