/** Who is using the tab and how to get a bearer token for them. */
export interface Session {
  /** "teams": Teams SSO token; "dev": a local token from POST /api/dev/token (AUTH_MODE=dev). */
  kind: "teams" | "dev";
  upn: string;
  displayName: string;
  tenantId: string | null;
  getToken(): Promise<string>;
  /** The token when it is known without asking anyone (dev sessions): lets the first render use answers the boot script already has. */
  tokenNow?(): string;
}
