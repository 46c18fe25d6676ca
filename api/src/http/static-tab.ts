/**
 * The built tab at "/": compressed (brotli or gzip, done once per file and kept in memory), hashed
 * assets cached for a year as immutable, index.html revalidated on every load, no source maps,
 * the pages the manifest and the Entra app name (/privacy, /termsofuse, /auth-end.html) in English
 * and French, and index.html for client-side routes. Paths are checked before the disk is touched:
 * a bad percent-encoding or a NUL answers 400, and nothing outside the folder is ever read.
 */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { brotliCompressSync, gzipSync, constants as zlib } from "node:zlib";
import { createHash } from "node:crypto";
import type { Request, Response, Server } from "restify";
import { Refusal } from "../shared/refusal.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt"]);
/** Vite names built assets name-<hash>.ext under assets/: their content never changes. */
const HASHED = /^\/assets\/.+[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

interface Encoded {
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  etag: string;
  type: string;
  mtimeMs: number;
}

export type PageLanguage = "en" | "fr";

export function mountStaticTab(server: Server, dist: string): void {
  const root = resolve(dist);
  if (!existsSync(join(root, "index.html"))) {
    server.get("/", async (_req: Request, res: Response) => {
      res.sendRaw(503, "The tab is not built yet: run `npm run build`.", { "content-type": "text/plain; charset=utf-8" });
    });
    return;
  }
  const cache = new Map<string, Encoded>();

  async function load(file: string): Promise<Encoded | undefined> {
    let info;
    try {
      info = await stat(file);
    } catch {
      return undefined;
    }
    if (!info.isFile()) return undefined;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === info.mtimeMs) return hit;
    const identity = await readFile(file);
    const ext = extname(file).toLowerCase();
    const entry: Encoded = {
      identity,
      etag: `"${createHash("sha1").update(identity).digest("base64url").slice(0, 22)}"`,
      type: TYPES[ext] ?? "application/octet-stream",
      mtimeMs: info.mtimeMs,
    };
    if (COMPRESSIBLE.has(ext) && identity.length > 512) {
      entry.br = brotliCompressSync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length } });
      entry.gzip = gzipSync(identity, { level: 9 });
    }
    cache.set(file, entry);
    return entry;
  }

  const handler = async (req: Request, res: Response): Promise<void> => {
    const path = safePath(req.url ?? "/");
    if (path === null) return void res.sendRaw(400, "Bad request path", { "content-type": "text/plain; charset=utf-8" });
    // An API path no route answered is an unknown resource, never the tab's page.
    if (path === "/api" || path.startsWith("/api/")) throw new Refusal(404, "not_found", "There is no such API resource");
    const page = fixedPage(path, languageOf(req));
    if (page) return send(req, res, { identity: Buffer.from(page), etag: "", type: TYPES[".html"], mtimeMs: 0 }, REVALIDATE);
    // Source maps are for developers' machines, not for the public.
    if (path.endsWith(".map")) return void res.sendRaw(404, "Not found", { "content-type": "text/plain; charset=utf-8" });
    const file = resolve(root, `.${path}`);
    if (file !== root && !file.startsWith(root + sep)) return void res.sendRaw(400, "Bad request path", { "content-type": "text/plain; charset=utf-8" });
    const found = path.endsWith("/") ? undefined : await load(file);
    if (found) return send(req, res, found, HASHED.test(path) ? IMMUTABLE : REVALIDATE);
    // A file name that is not there is a 404; anything else is a client-side route of the tab.
    if (extname(path) && !path.endsWith(".html")) return void res.sendRaw(404, "Not found", { "content-type": "text/plain; charset=utf-8" });
    const index = await load(join(root, "index.html"));
    if (!index) return void res.sendRaw(503, "The tab is not built yet: run `npm run build`.", { "content-type": "text/plain; charset=utf-8" });
    return send(req, res, index, REVALIDATE);
  };
  server.get("/*", handler);
  server.head("/*", handler);
}

function send(req: Request, res: Response, file: Encoded, cacheControl: string): void {
  const headers: Record<string, string> = {
    "content-type": file.type,
    "cache-control": cacheControl,
    "x-content-type-options": "nosniff",
    vary: "Accept-Encoding",
  };
  if (file.etag) {
    headers.etag = file.etag;
    if (req.headers["if-none-match"] === file.etag) return void res.sendRaw(304, "", headers);
  }
  const accept = String(req.headers["accept-encoding"] ?? "");
  let body = file.identity;
  if (file.br && /\bbr\b/.test(accept)) {
    body = file.br;
    headers["content-encoding"] = "br";
  } else if (file.gzip && /\bgzip\b/.test(accept)) {
    body = file.gzip;
    headers["content-encoding"] = "gzip";
  }
  headers["content-length"] = String(body.length);
  if (req.method === "HEAD") {
    res.writeHead(200, headers);
    return void res.end();
  }
  res.sendRaw(200, body, headers);
}

/**
 * The decoded path of a request URL, or null when it cannot be a file path of ours: a bad
 * percent-encoding, a NUL or a backslash. `..` segments are resolved (and then checked again
 * against the folder by the caller), so "/a/../../etc" never leaves it.
 */
export function safePath(url: string): string | null {
  const raw = url.split(/[?#]/, 1)[0] || "/";
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\") || !decoded.startsWith("/")) return null;
  const parts: string[] = [];
  for (const part of decoded.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return `/${parts.join("/")}${decoded.endsWith("/") && parts.length ? "/" : ""}`;
}

function languageOf(req: Request): PageLanguage {
  const header = String(req.headers["accept-language"] ?? "").toLowerCase();
  const fr = header.search(/(^|,)\s*fr\b/);
  const en = header.search(/(^|,)\s*en\b/);
  return fr >= 0 && (en < 0 || fr < en) ? "fr" : "en";
}

const PAGES: Record<string, Record<PageLanguage, { title: string; body: string }>> = {
  "/privacy": {
    en: {
      title: "Privacy statement",
      body: "<p>Communications Credits keeps, for your organisation only: the account balance and its ledger, the payment method's brand, last four digits and expiry (never the card number), the licenses assigned, call records received from Microsoft Graph for rating, and the notifications sent to admins.</p><p>Data stays in the region of your organisation. It is not sold or shared. Ask your administrator to delete the account to remove it.</p>",
    },
    fr: {
      title: "Déclaration de confidentialité",
      body: "<p>Communications Credits conserve, pour votre organisation uniquement : le solde du compte et son journal, la marque, les quatre derniers chiffres et l’expiration du moyen de paiement (jamais le numéro de carte), les licences attribuées, les enregistrements d’appels reçus de Microsoft Graph pour la tarification et les notifications envoyées aux administrateurs.</p><p>Les données restent dans la région de votre organisation. Elles ne sont ni vendues ni partagées. Demandez à votre administrateur de supprimer le compte pour les effacer.</p>",
    },
  },
  "/termsofuse": {
    en: {
      title: "Terms of use",
      body: "<p>Communications Credits is a prepaid balance for PSTN calls in Microsoft Teams. Funds added are charged to your organisation’s payment method and used by calls at the published rates. Balances are not refundable except where the law requires it.</p>",
    },
    fr: {
      title: "Conditions d’utilisation",
      body: "<p>Communications Credits est un solde prépayé pour les appels RTC dans Microsoft Teams. Les fonds ajoutés sont débités du moyen de paiement de votre organisation et consommés par les appels aux tarifs publiés. Les soldes ne sont pas remboursables, sauf obligation légale.</p>",
    },
  },
  "/auth-end.html": {
    en: { title: "Signed in", body: "<p>You are signed in. You can close this window and go back to Microsoft Teams.</p>" },
    fr: { title: "Connecté", body: "<p>Vous êtes connecté. Vous pouvez fermer cette fenêtre et revenir à Microsoft Teams.</p>" },
  },
};

function fixedPage(path: string, lang: PageLanguage): string | undefined {
  const page = PAGES[path.replace(/\/$/, "") || "/"]?.[lang];
  if (!page) return undefined;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${page.title} · Communications Credits</title><style>body{font-family:"Segoe UI",system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}@media (prefers-color-scheme:dark){body{background:#1f1f1f;color:#fff}}</style></head><body><main><h1>${page.title}</h1>${page.body}</main></body></html>`;
}
