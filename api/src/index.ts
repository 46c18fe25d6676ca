/** `npm start`: the whole product on http://localhost:PORT with the local world. */
import { loadConfig } from "./config.js";
import { createApp } from "./app.js";

const config = loadConfig();
const app = await createApp(config);
const shown = `http://localhost:${new URL(app.url).port}`;
app.logger.info({ url: shown, authMode: config.AUTH_MODE, store: config.COSMOS_ENDPOINT ?? "embedded local Cosmos-compatible server", dataDir: config.DATA_DIR }, `Communications Credits is up on ${shown}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, "stopping: saving the local store");
    app.close().then(() => process.exit(0), (err) => {
      app.logger.error({ err }, "stop failed");
      process.exit(1);
    });
  });
}
