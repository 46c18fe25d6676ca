/**
 * GET /tab/first-frame: the overview drawn by the server with the tab's own bundle
 * (tab/dist-server, built by `npm test` with the tab), for the caller's token, roles, tenant,
 * language and theme, with the answers it was drawn from; and what a request without a token or
 * with a bad query gets. (Without the server bundle it answers 404: tab-api.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient, usd } from "../support/http.js";

interface Frame {
  html: string;
  css: string;
  me: { upn: string; can: { read: boolean } };
  account?: { balanceMicros: number; currency: string };
}

async function firstFrame(client: ApiClient, query = "theme=default", language = "en-US"): Promise<{ status: number; body: Frame }> {
  const res = await fetch(`${client.baseUrl}/tab/first-frame?${query}`, { headers: { authorization: `Bearer ${client.token}`, "accept-language": language } });
  return { status: res.status, body: (await res.json()) as Frame };
}

/** The text of the element with this data-testid in the drawn markup (its first text). */
function textOf(html: string, testId: string): string | undefined {
  const match = new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html);
  return match?.[1];
}

describe("the tab's first frame, drawn by the server", () => {
  let world: TestWorld;
  let url: string;

  beforeAll(async () => {
    if (!existsSync("tab/dist-server/render.js")) throw new Error("tab/dist-server is missing: npm test builds it with the tab (npm run build:tab)");
    world = await startWorld();
    url = (await world.app()).url;
  });
  afterAll(async () => {
    await world?.close();
  });

  it("draws the caller's overview with the answers it was drawn from, and the balance of now", async () => {
    const megan = await ApiClient.signIn(url, "megan@contoso.example");
    const before = await firstFrame(megan);
    expect(before.status).toBe(200);
    expect(before.body.me).toEqual((await megan.get("/api/v1/me")).body);
    expect(before.body.account).toEqual((await megan.get("/api/v1/account")).body);
    expect(textOf(before.body.html, "balance")).toBe("$0.00");
    expect(textOf(before.body.html, "signed-in-user")).toBe("Megan Bowen");
    // A local world's session is a dev sign-in: the header offers to sign out.
    expect(before.body.html).toContain('data-testid="sign-out"');
    // The CSS the markup uses, as Griffel's server renderer emits it, and Fluent's theme.
    expect(before.body.css).toContain("data-make-styles-bucket");
    expect(before.body.html).toContain("--colorNeutralBackground1");

    // Drawn again from the new answers once the balance changes (never an older drawing).
    expect((await megan.post("/api/v1/payment-methods", { token: "tok_visa" })).status).toBe(201);
    expect((await megan.postMoney("/api/v1/account/funds", { amountMicros: usd(1234.5) })).status).toBe(201);
    const after = await firstFrame(megan);
    expect(textOf(after.body.html, "balance")).toBe("$1,234.50");
    expect(after.body.account?.balanceMicros).toBe(usd(1234.5));
  });

  it("in French, in the dark theme, compressed when asked", async () => {
    const megan = await ApiClient.signIn(url, "megan@contoso.example");
    const res = await fetch(`${url}/tab/first-frame?theme=dark`, { headers: { authorization: `Bearer ${megan.token}`, "accept-language": "fr-FR", "accept-encoding": "gzip" } });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("cache-control")).toBe("no-store");
    // fetch decompresses; the bytes on the wire were gzip.
    const frame = (await res.json()) as Frame;
    expect(textOf(frame.html, "balance")).toBe("1\u202f234,50\u00a0$US");
    expect(frame.html).toContain(">Solde<");
    expect(frame.html).toContain('data-theme="dark"');
    const raw = await new Promise<Buffer>((ok, fail) => {
      void import("node:http").then(({ get }) =>
        get(`${url}/tab/first-frame`, { headers: { authorization: `Bearer ${megan.token}`, "accept-encoding": "gzip" } }, (r) => {
          const chunks: Buffer[] = [];
          r.on("data", (c: Buffer) => chunks.push(c))
            .on("end", () => ok(Buffer.concat(chunks)))
            .on("error", fail);
        }),
      );
    });
    expect(JSON.parse(gunzipSync(raw).toString("utf8")).account.balanceMicros).toBe(usd(1234.5));
  });

  it("follows roles and tenants: no account for a user who may not read it, each tenant its own", async () => {
    const diego = await firstFrame(await ApiClient.signIn(url, "diego@contoso.example"));
    expect(diego.status).toBe(200);
    expect(diego.body.me.can.read).toBe(false);
    expect(diego.body.account).toBeUndefined();
    expect(diego.body.html).toContain('data-testid="no-access"');
    expect(diego.body.html).not.toContain('data-testid="balance"');

    const nestorClient = await ApiClient.signIn(url, "nestor@fabrikam.example");
    const nestor = await firstFrame(nestorClient);
    expect(nestor.body.me.upn).toBe("nestor@fabrikam.example");
    expect(nestor.body.account).toEqual((await nestorClient.get("/api/v1/account")).body);
    expect(nestor.body.account?.balanceMicros).not.toBe(usd(1234.5));
    expect(textOf(nestor.body.html, "balance")).not.toBe("$1,234.50");
  });

  it("refuses a request without a token or with a query it does not know, in words", async () => {
    const anonymous = await fetch(`${url}/tab/first-frame`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
    const megan = await ApiClient.signIn(url, "megan@contoso.example");
    const purple = await firstFrame(megan, "theme=purple");
    expect(purple.status).toBe(400);
    expect(JSON.stringify(purple.body)).toContain("theme");
    expect((await firstFrame(megan, "theme=default&debug=1")).status).toBe(400);
    // The language is the caller's (Accept-Language) and the kind of session the server's own: not the query's to say.
    expect((await firstFrame(megan, "lang=fr")).status).toBe(400);
  });
});
