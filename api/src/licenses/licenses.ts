/**
 * Communications Credits licenses: unlimited, they only grant access to the balance. Assigning is
 * idempotent (the license document's id is the user id); users come from the directory.
 */
import type { Container } from "@azure/cosmos";
import type { DirectoryUserView } from "@cc/common";
import { refuse } from "../shared/refusal.js";
import { bulkCreate, bulkRead, queryAll, readDoc, type Store } from "../store/cosmos.js";
import type { Directory, DirectoryUser } from "../directory/directory.js";
import type { AuditLog, Actor } from "../audit/audit-log.js";
import type { Clock } from "../shared/clock.js";

interface LicenseDoc {
  id: string;
  tenantId: string;
  userId: string;
  assignedBy: string;
  assignedAt: string;
}

export class Licenses {
  private readonly licenses: Container;

  constructor(
    store: Store,
    private readonly directory: Directory,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {
    this.licenses = store.containers.licenses;
  }

  async users(tenantId: string): Promise<DirectoryUserView[]> {
    const [users, licensed] = await Promise.all([this.directory.users(tenantId), this.licensedIds(tenantId)]);
    return users.map((u) => ({
      id: u.id,
      upn: u.upn,
      displayName: u.displayName,
      roles: u.roles,
      licensed: licensed.has(u.id),
      callingPlan: u.callingPlan,
      usageLocation: u.usageLocation,
    }));
  }

  async licensedIds(tenantId: string): Promise<Set<string>> {
    const docs = await queryAll<{ userId: string }>(this.licenses, tenantId, "SELECT c.userId FROM c WHERE c.tenantId = @tenantId");
    return new Set(docs.map((d) => d.userId));
  }

  /**
   * Which of `userIds` hold a license: one bulk point read per 100 users (the license's id is the
   * user id), so a batch of calls costs what its own callers cost, whatever the tenant's size.
   */
  async licensedAmong(tenantId: string, userIds: readonly string[]): Promise<Set<string>> {
    const distinct = [...new Set(userIds)];
    const found = await bulkRead<LicenseDoc>(this.licenses, tenantId, distinct);
    return new Set(distinct.filter((_, i) => found[i] !== undefined));
  }

  async isLicensed(tenantId: string, userId: string): Promise<boolean> {
    return (await readDoc<LicenseDoc>(this.licenses, tenantId, userId)) !== undefined;
  }

  async assign(tenantId: string, actor: Actor, userId: string): Promise<DirectoryUserView> {
    const user = await this.user(tenantId, userId);
    if (!(await this.isLicensed(tenantId, userId))) {
      await this.licenses.items.upsert<LicenseDoc>({ id: userId, tenantId, userId, assignedBy: actor.id, assignedAt: this.clock.now().toISOString() });
      await this.audit.record(tenantId, actor, "license.assigned", { userId, licensed: false }, { userId, licensed: true });
    }
    return { ...toView(user), licensed: true };
  }

  async remove(tenantId: string, actor: Actor, userId: string): Promise<void> {
    await this.user(tenantId, userId);
    if (await this.isLicensed(tenantId, userId)) {
      await this.licenses
        .item(userId, tenantId)
        .delete()
        .catch((e: { code?: number }) => {
          if (e.code !== 404) throw e;
        });
      await this.audit.record(tenantId, actor, "license.removed", { userId, licensed: true }, { userId, licensed: false });
    }
  }

  /** Seed: give these users a license without an audit trail of a person (demo data). */
  async seed(tenantId: string, userIds: string[]): Promise<void> {
    const at = this.clock.now().toISOString();
    // In bulk (100 per request), not one request each at once: 20,000 users ran out of file handles.
    await bulkCreate(
      this.licenses,
      userIds.map((userId) => ({ id: userId, tenantId, userId, assignedBy: "seed", assignedAt: at })),
    );
  }

  private async user(tenantId: string, userId: string): Promise<DirectoryUser> {
    const user = (await this.directory.users(tenantId)).find((u) => u.id === userId);
    if (!user) throw refuse.notFound("The user", "user");
    return user;
  }
}

function toView(u: DirectoryUser): DirectoryUserView {
  return { id: u.id, upn: u.upn, displayName: u.displayName, roles: u.roles, licensed: false, callingPlan: u.callingPlan, usageLocation: u.usageLocation };
}
