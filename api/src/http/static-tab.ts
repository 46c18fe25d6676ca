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
import { negotiateLanguage, t, type MessageId } from "@cc/common";
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
    if (path === null) return void res.sendRaw(400, t(String(req.headers["accept-language"] ?? ""), "words.page.badPath"), { "content-type": "text/plain; charset=utf-8" });
    // An API path no route answered is an unknown resource, never the tab's page.
    if (path === "/api" || path.startsWith("/api/")) throw new Refusal(404, "not_found", "There is no such API resource", [], { what: "api" });
    const page = fixedPage(path, String(req.headers["accept-language"] ?? ""));
    if (page) return send(req, res, { identity: Buffer.from(page), etag: "", type: TYPES[".html"], mtimeMs: 0 }, REVALIDATE);
    // Source maps are for developers' machines, not for the public.
    if (path.endsWith(".map"))
      return void res.sendRaw(404, t(String(req.headers["accept-language"] ?? ""), "words.page.notFound"), { "content-type": "text/plain; charset=utf-8" });
    const file = resolve(root, `.${path}`);
    if (file !== root && !file.startsWith(root + sep))
      return void res.sendRaw(400, t(String(req.headers["accept-language"] ?? ""), "words.page.badPath"), { "content-type": "text/plain; charset=utf-8" });
    const found = path.endsWith("/") ? undefined : await load(file);
    if (found) return send(req, res, found, HASHED.test(path) ? IMMUTABLE : REVALIDATE);
    // A file name that is not there is a 404; anything else is a client-side route of the tab.
    if (extname(path) && !path.endsWith(".html"))
      return void res.sendRaw(404, t(String(req.headers["accept-language"] ?? ""), "words.page.notFound"), { "content-type": "text/plain; charset=utf-8" });
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

/** The fixed pages the manifest links to; their words are in the catalog (words.page.*). */
const PAGES: Record<string, { key: "privacy" | "terms" | "signedIn"; paragraphs: number }> = {
  "/privacy": { key: "privacy", paragraphs: 2 },
  "/termsofuse": { key: "terms", paragraphs: 1 },
  "/auth-end.html": { key: "signedIn", paragraphs: 1 },
};

function fixedPage(path: string, acceptLanguage: string): string | undefined {
  const page = PAGES[path.replace(/\/$/, "") || "/"];
  if (!page) return undefined;
  const lang = negotiateLanguage(acceptLanguage);
  const title = escapeHtml(t(lang, `words.page.${page.key}.title` as MessageId));
  const body = Array.from({ length: page.paragraphs }, (_, i) => `<p>${escapeHtml(t(lang, `words.page.${page.key}.p${i + 1}` as MessageId))}</p>`).join("");
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · ${escapeHtml(t(lang, "words.app.name"))}</title><style>body{font-family:"Segoe UI",system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}@media (prefers-color-scheme:dark){body{background:#1f1f1f;color:#fff}}</style></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}
