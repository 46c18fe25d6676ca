import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The API server serves tab/dist at "/" on the same origin, so the tab calls fetch("/api/...").
// `npx vite` (dev server) proxies /api to a running `npm start` for the same effect.
export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // No source maps in what the server serves (issue 11: the 6.2 MB map was public).
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // @cc/common only declares types, constants and functions: what the tab does not use (the
      // zod schemas of the API's input) is left out of the bundle.
      treeshake: { moduleSideEffects: (id) => !/[\\/]common[\\/]src[\\/]/.test(id) },
    },
  },
  server: {
    port: 5173,
    proxy: { "/api": "http://localhost:3978" },
  },
});
