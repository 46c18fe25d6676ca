import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import griffel from "@griffel/vite-plugin";
import { build as esbuild } from "esbuild";
import { fileURLToPath } from "node:url";

// The API server serves tab/dist at "/" on the same origin, so the tab calls fetch("/api/...").
// `npx vite` (dev server) proxies /api to a running `npm start` for the same effect.
/**
 * src/boot/boot.ts runs first, inline in index.html's <head> in builds: it asks the server for
 * the first frame (or /me and the account) before any script has been downloaded. It is bundled
 * on its own (esbuild, a few kilobytes) and shares what it started with the app's bundle through
 * one global (api/early.ts). The dev server loads it as a module, first.
 */
function bootFirst(): Plugin {
  let inline = "";
  return {
    name: "cc-boot-first",
    async buildStart() {
      if (this.meta.watchMode) return;
      const built = await esbuild({
        entryPoints: [fileURLToPath(new URL("./src/boot/boot.ts", import.meta.url))],
        bundle: true,
        format: "iife",
        minify: true,
        write: false,
        target: "es2020",
        logLevel: "silent",
      });
      inline = built.outputFiles[0].text.replace(/<\/script/gi, "<\\/script");
    },
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        if (!ctx.bundle) return [{ tag: "script", attrs: { type: "module", src: "/src/boot/boot.ts" }, injectTo: "head-prepend" }];
        return [{ tag: "script", children: inline, injectTo: "head-prepend" }];
      },
    },
  };
}

export default defineConfig(({ command, isSsrBuild }) => ({
  base: "/",
  // Griffel's build-time transform: the tab's own makeStyles are resolved to class names and CSS
  // rules when the bundle is built, not in the browser on first render (Fluent's components ship
  // already transformed). Only in builds, as Griffel recommends: the dev server stays fast.
  plugins: [react(), bootFirst(), command === "build" && !isSsrBuild && griffel({ babelOptions: { presets: ["@babel/preset-typescript"] } })],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // No source maps in what the server serves (issue 11: the 6.2 MB map was public).
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: { index: "index.html" },
      // @cc/common only declares types, constants and functions: what the tab does not use (the
      // zod schemas of the API's input, the server's Accept-Language negotiation with negotiator
      // and @formatjs/intl-localematcher) is left out of the bundle. Those two packages have no
      // side effects on import; rollup cannot tell for negotiator (CommonJS), so it is said here.
      treeshake: { moduleSideEffects: (id) => !/[\\/](common[\\/]src|node_modules[\\/](negotiator|@formatjs[\\/]intl-localematcher))[\\/]/.test(id) },
    },
  },
  // The server bundle of the first frame (src/first-frame/render.tsx, `vite build --ssr`): one
  // self-contained file with React and Fluent inside, so the API runs it without the tab's packages
  // (the deployed app installs only the server's). Built without Griffel's transform (over this
  // bundle it ran out of memory): Griffel computes the same class names at run time.
  ssr: { noExternal: true },
  server: {
    port: 5173,
    proxy: { "/api": "http://localhost:3978" },
  },
}));
