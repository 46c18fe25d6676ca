/** What the local Graph lists, in Graph's wire format: users, directory roles and their members, groups' transitive members, pages with @odata.nextLink. Pure. */
import { roleDisplayName, type DemoTenant, type DirectoryRoleId } from "@cc/common";
import { skuOf } from "../../directory/directory.js";

/** One page of a list, with the link to the next (`$skiptoken`), at most `size` items (a client's smaller `$top` wins). */
export function page<T>(items: T[], url: URL, size: number, baseUrl: string): { value: T[]; "@odata.nextLink"?: string } {
  const skip = Number(url.searchParams.get("$skiptoken") ?? "0");
  const top = Math.min(Number(url.searchParams.get("$top") ?? size), size);
  const value = items.slice(skip, skip + top);
  if (skip + top >= items.length) return { value };
  const next = new URL(url.toString());
  next.searchParams.set("$skiptoken", String(skip + top));
  return { value, "@odata.nextLink": `${baseUrl}${next.pathname}${next.search}` };
}

export function graphUsers(tenant: DemoTenant) {
  return tenant.users.map((u) => {
    const sku = skuOf(u.callingPlan);
    return {
      id: u.id,
      userPrincipalName: u.upn,
      displayName: u.displayName,
      usageLocation: u.usageLocation,
      department: u.department ?? null,
      assignedLicenses: sku ? [{ skuId: sku, disabledPlans: [] }] : [],
    };
  });
}

export function directoryRoles(tenant: DemoTenant) {
  const roleIds = [...new Set(tenant.users.flatMap((u) => u.roles))] as DirectoryRoleId[];
  return roleIds.map((roleTemplateId) => ({
    id: `role-${roleTemplateId}`,
    roleTemplateId,
    displayName: roleDisplayName[roleTemplateId] ?? roleTemplateId,
    members: tenant.users.filter((u) => u.roles.includes(roleTemplateId)).map((u) => ({ "@odata.type": "#microsoft.graph.user", id: u.id })),
  }));
}

/** Members of one role as Graph lists them: users, plus a service principal in Global Administrator (real tenants have some). */
export function roleMembers(tenant: DemoTenant, roleTemplateId: string) {
  const users = tenant.users
    .filter((u) => (u.roles as string[]).includes(roleTemplateId))
    .map((u) => ({
      "@odata.type": "#microsoft.graph.user",
      id: u.id,
      userPrincipalName: u.upn,
      mail: u.upn,
      displayName: u.displayName,
      preferredLanguage: u.preferredLanguage ?? (u.usageLocation === "FR" ? "fr-FR" : "en-US"),
    }));
  const others =
    roleTemplateId === "62e90394-69f5-4237-9190-012177145e10"
      ? [{ "@odata.type": "#microsoft.graph.servicePrincipal", id: `sp-${tenant.tenantId}`, displayName: "Provisioning service" }]
      : [];
  return [...others, ...users];
}

/** A group's members through nested groups, as Graph's transitiveMembers lists them (users and groups, each once). */
export function transitiveMembers(tenant: DemoTenant, groupId: string) {
  const groups = new Map((tenant.groups ?? []).map((g) => [g.id, g]));
  const found = new Map<string, Record<string, unknown>>();
  const visit = (id: string) => {
    for (const member of groups.get(id)?.members ?? []) {
      if (found.has(member)) continue;
      const group = groups.get(member);
      if (group) {
        found.set(member, { "@odata.type": "#microsoft.graph.group", id: group.id, displayName: group.displayName });
        visit(member);
      } else {
        const user = tenant.users.find((u) => u.id === member);
        if (user) found.set(member, { "@odata.type": "#microsoft.graph.user", id: user.id, displayName: user.displayName, userPrincipalName: user.upn });
      }
    }
  };
  visit(groupId);
  return [...found.values()];
}
