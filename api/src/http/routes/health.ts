import type { Server } from "restify";
import type { Logger } from "pino";
import type { Store } from "../../store/cosmos.js";
import { answer } from "../router.js";

export function mountHealth(server: Server, store: Store, log: Logger): void {
  server.get(
    "/api/health",
    answer(log, async () => {
      await store.database.read();
      return { status: 200, body: { status: "ok" } };
    }),
  );
}
