/**
 * Directory reads for authorisation, cached briefly per tenant: a token without a `wids` claim
 * would otherwise cost a Graph call on every request. A role change shows after at most `ttlMs`.
 * A failed lookup is not cached.
 */
import type { Directory, DirectoryUser } from "../directory/directory.js";

export class CachedDirectory implements Directory {
  private readonly byTenant = new Map<string, { until: number; users: Promise<DirectoryUser[]> }>();

  constructor(private readonly inner: Directory, private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  users(tenantId: string): Promise<DirectoryUser[]> {
    const hit = this.byTenant.get(tenantId);
    if (hit && hit.until > this.now()) return hit.users;
    const users = this.inner.users(tenantId);
    if (this.ttlMs > 0) {
      this.byTenant.set(tenantId, { until: this.now() + this.ttlMs, users });
      users.catch(() => this.byTenant.get(tenantId)?.users === users && this.byTenant.delete(tenantId));
    }
    return users;
  }
}
