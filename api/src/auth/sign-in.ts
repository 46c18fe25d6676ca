/**
 * Who may call the API (part of the composition root, wiring.ts): dev tokens signed with a key kept
 * in the store (AUTH_MODE=dev, APP_ENV=local only), or Entra ID / Teams SSO tokens; the rate limits
 * per tenant and user; the Authorizer every route asks.
 */
import type { Container } from "@azure/cosmos";
import type { Config } from "../config.js";
import type { Directory } from "../directory/directory.js";
import { Authorizer } from "../http/router.js";
import { RateLimits } from "../http/rate-limit.js";
import { DevTokenIssuer, entraVerifier, type TokenVerifier } from "./tokens.js";

export async function signIn(config: Config, state: Container, directory: Directory): Promise<{ auth: Authorizer; devTokens?: DevTokenIssuer }> {
  let verifier: TokenVerifier;
  let devTokens: DevTokenIssuer | undefined;
  if (config.AUTH_MODE === "dev") {
    devTokens = await DevTokenIssuer.create(state);
    verifier = devTokens.verifier;
  } else {
    verifier = entraVerifier({
      authority: config.ENTRA_AUTHORITY,
      clientId: config.ENTRA_CLIENT_ID ?? "",
      audience: config.ENTRA_AUDIENCE,
      allowedTenants: config.ENTRA_ALLOWED_TENANTS.split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    });
  }
  const limits = new RateLimits({
    tenantPerSecond: config.RATE_LIMIT_TENANT_PER_SECOND,
    tenantBurst: config.RATE_LIMIT_TENANT_BURST,
    userPerSecond: config.RATE_LIMIT_USER_PER_SECOND,
    userBurst: config.RATE_LIMIT_USER_BURST,
  });
  return { auth: new Authorizer(verifier, directory, limits), devTokens };
}
