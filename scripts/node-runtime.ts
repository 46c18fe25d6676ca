/**
 * How the app's Node process is started, everywhere it is: App Service (infra's appCommandLine and
 * the deploy package's start script), `npm start`, `npm run start:dist`, and the tests and benches
 * that start it as a child (test/support/child-app.ts). test/deploy/infra.test.ts checks that each
 * launch line carries these flags.
 *
 * `--max-semi-space-size=32` (MB): V8's young generation may grow to 32 MB semispaces instead of
 * 16. A request's short-lived objects (the Cosmos SDK's requests, headers and diagnostics, the
 * HTTP parsing) then die in the young generation instead of being promoted by frequent scavenges,
 * so full mark-compact collections of the ~150 MB old generation come several times less often.
 * Measured by `BENCH_ONLY=account npm run bench:big` (GET /api/v1/account at 200 req/s): p99 16–91
 * ms with 16 MB, 7–12 ms with 32 MB, 7–10 ms with 64 MB (chosen: 32, half the extra memory of 64).
 */
export const NODE_FLAGS = ["--max-semi-space-size=32"] as const;

/** What App Service runs in the deploy package. */
export const START_COMMAND = `node ${NODE_FLAGS.join(" ")} api/dist/index.js`;
