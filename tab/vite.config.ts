import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import griffel from "@griffel/vite-plugin";

// The API server serves tab/dist at "/" on the same origin, so the tab calls fetch("/api/...").
// `npx vite` (dev server) proxies /api to a running `npm start` for the same effect.
/**
 * src/boot/boot.ts runs as its own small script, first in <head>: it asks the API for /me and the
 * account while the app's bundle is still downloading and compiling (a module inside the bundle
 * would wait for the whole bundle to be parsed).
 */
function bootFirst(): Plugin {
  return {
    name: "cc-boot-first",
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        const boot = ctx.bundle ? Object.values(ctx.bundle).find((c) => c.type === "chunk" && c.isEntry && c.name === "boot") : undefined;
        const src = ctx.bundle ? (boot ? `/${boot.fileName}` : undefined) : "/src/boot/boot.ts";
        return src ? [{ tag: "script", attrs: { type: "module", crossorigin: true, src }, injectTo: "head-prepend" }] : [];
      },
    },
  };
}

export default defineConfig(({ command }) => ({
  base: "/",
  // Griffel's build-time transform: the tab's own makeStyles are resolved to class names and CSS
  // rules when the bundle is built, not in the browser on first render (Fluent's components ship
  // already transformed). Only in builds, as Griffel recommends: the dev server stays fast.
  plugins: [react(), bootFirst(), command === "build" && griffel({ babelOptions: { presets: ["@babel/preset-typescript"] } })],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // No source maps in what the server serves (issue 11: the 6.2 MB map was public).
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: { index: "index.html", boot: "src/boot/boot.ts" },
      // @cc/common only declares types, constants and functions: what the tab does not use (the
      // zod schemas of the API's input) is left out of the bundle.
      treeshake: { moduleSideEffects: (id) => !/[\\/]common[\\/]src[\\/]/.test(id) },
    },
  },
  server: {
    port: 5173,
    proxy: { "/api": "http://localhost:3978" },
  },
}));
