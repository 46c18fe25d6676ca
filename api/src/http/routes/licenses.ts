/** Directory users and Communications Credits licenses. */
import type { Server } from "restify";
import type { Logger } from "pino";
import type { Licenses } from "../../licenses/licenses.js";
import { actorOf, answer, answerOk, wholeList, type Authorizer } from "../router.js";
import { userIdParam } from "../validation.js";

/** The use cases these routes call. */
export interface LicenseRouteDeps {
  licenses: Pick<Licenses, "users" | "assign" | "remove">;
}

export function mountLicenses(server: Server, s: LicenseRouteDeps, auth: Authorizer, log: Logger): void {
  server.get(
    "/api/v1/users",
    answerOk(log, auth, "read", async (caller) => wholeList(await s.licenses.users(caller.tenantId))),
  );
  server.put(
    "/api/v1/licenses/:userId",
    answerOk(log, auth, "licenses", (caller, req) => s.licenses.assign(caller.tenantId, actorOf(caller), userIdParam.parse(req.params.userId))),
  );

  server.del(
    "/api/v1/licenses/:userId",
    answer(log, async (req) => {
      const caller = await auth.require(req, "licenses");
      const userId = userIdParam.parse(req.params.userId);
      await s.licenses.remove(caller.tenantId, actorOf(caller), userId);
      return { status: 204 };
    }),
  );
}
