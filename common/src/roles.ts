/**
 * Entra ID directory roles by their well-known template ids (the `wids` claim of a token and
 * `roleTemplateId` in Graph). Names are Graph's displayName.
 */
export const DirectoryRole = {
  GlobalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  BillingAdministrator: "b0f54661-2d74-4c50-afa3-1ec803f12efe",
  SkypeForBusinessAdministrator: "75941009-915a-4869-abe7-691bff18279e",
  UserAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  HelpdeskAdministrator: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  ServiceSupportAdministrator: "f023fd81-a637-4b56-95fd-791ac0226033",
  CloudDeviceAdministrator: "7698a772-787b-4ac8-901f-60d6b08affd2",
  ApplicationAdministrator: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
  LicenseAdministrator: "4d6ac14f-3453-41d0-bef9-a3e0c569773a",
  AuthenticationAdministrator: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
  PrivilegedAuthenticationAdministrator: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
  TeamsCommunicationsAdministrator: "baf37b3a-610e-45da-9e62-d9d1e5e8914b",
  TeamsCommunicationsSupportEngineer: "f70938a0-fc10-4177-9e90-2178f8765737",
  TeamsCommunicationsSupportSpecialist: "fcf91098-03e3-41a9-b5ba-6f0ec8188a12",
  TeamsAdministrator: "69091246-20e8-4a56-aa4d-066075b2a7a8",
  TeamsDevicesAdministrator: "3d762c5a-1b6c-493f-843e-55a3b42923d4",
} as const;
export type DirectoryRoleId = (typeof DirectoryRole)[keyof typeof DirectoryRole];

export const roleDisplayName: Record<DirectoryRoleId, string> = {
  [DirectoryRole.GlobalAdministrator]: "Global Administrator",
  [DirectoryRole.BillingAdministrator]: "Billing Administrator",
  [DirectoryRole.SkypeForBusinessAdministrator]: "Skype for Business Administrator",
  [DirectoryRole.UserAdministrator]: "User Administrator",
  [DirectoryRole.HelpdeskAdministrator]: "Helpdesk Administrator",
  [DirectoryRole.ServiceSupportAdministrator]: "Service Support Administrator",
  [DirectoryRole.CloudDeviceAdministrator]: "Cloud Device Administrator",
  [DirectoryRole.ApplicationAdministrator]: "Application Administrator",
  [DirectoryRole.LicenseAdministrator]: "License Administrator",
  [DirectoryRole.AuthenticationAdministrator]: "Authentication Administrator",
  [DirectoryRole.PrivilegedAuthenticationAdministrator]: "Privileged Authentication Administrator",
  [DirectoryRole.TeamsCommunicationsAdministrator]: "Teams Communications Administrator",
  [DirectoryRole.TeamsCommunicationsSupportEngineer]: "Teams Communications Support Engineer",
  [DirectoryRole.TeamsCommunicationsSupportSpecialist]: "Teams Communications Support Specialist",
  [DirectoryRole.TeamsAdministrator]: "Teams Administrator",
  [DirectoryRole.TeamsDevicesAdministrator]: "Teams Devices Administrator",
};

/**
 * The same roles as the French Microsoft 365 / Entra admin center names them, for a French UI.
 * One list with the English one above: a role added there without a French name fails typecheck.
 */
export const roleDisplayNameFr: Record<DirectoryRoleId, string> = {
  [DirectoryRole.GlobalAdministrator]: "Administrateur général",
  [DirectoryRole.BillingAdministrator]: "Administrateur de facturation",
  [DirectoryRole.SkypeForBusinessAdministrator]: "Administrateur Skype Entreprise",
  [DirectoryRole.UserAdministrator]: "Administrateur d’utilisateurs",
  [DirectoryRole.HelpdeskAdministrator]: "Administrateur du support technique",
  [DirectoryRole.ServiceSupportAdministrator]: "Administrateur du support de service",
  [DirectoryRole.CloudDeviceAdministrator]: "Administrateur d’appareils cloud",
  [DirectoryRole.ApplicationAdministrator]: "Administrateur d’applications",
  [DirectoryRole.LicenseAdministrator]: "Administrateur de licences",
  [DirectoryRole.AuthenticationAdministrator]: "Administrateur d’authentification",
  [DirectoryRole.PrivilegedAuthenticationAdministrator]: "Administrateur d’authentification privilégié",
  [DirectoryRole.TeamsCommunicationsAdministrator]: "Administrateur des communications Teams",
  [DirectoryRole.TeamsCommunicationsSupportEngineer]: "Ingénieur support des communications Teams",
  [DirectoryRole.TeamsCommunicationsSupportSpecialist]: "Spécialiste support des communications Teams",
  [DirectoryRole.TeamsAdministrator]: "Administrateur Teams",
  [DirectoryRole.TeamsDevicesAdministrator]: "Administrateur des appareils Teams",
};

/** A role's name in the UI language; an id the product does not know is shown as it is. */
export function roleName(id: string, lang: "en" | "fr" = "en"): string {
  const names: Record<string, string> = lang === "fr" ? roleDisplayNameFr : roleDisplayName;
  return names[id] ?? id;
}

/** Who is told about recharges and a depleted balance, and who may read the account (DESIGN.md §1). */
export const NOTIFIED_ROLES: readonly DirectoryRoleId[] = Object.values(DirectoryRole);

/** Who may move money, change auto-recharge and payment methods. */
export const BILLING_ROLES: readonly DirectoryRoleId[] = [DirectoryRole.GlobalAdministrator, DirectoryRole.BillingAdministrator];

/** Who may assign and remove Communications Credits licenses. */
export const LICENSE_ROLES: readonly DirectoryRoleId[] = [DirectoryRole.GlobalAdministrator, DirectoryRole.LicenseAdministrator, DirectoryRole.UserAdministrator];

/**
 * Who may manage the call guard's calling policy (blocked destinations, domestic only, exceptions):
 * the billing roles and the admins who own calling and toll fraud in Teams. Its money setting (the
 * daily cap per user) stays with the billing roles.
 */
export const GUARD_ROLES: readonly DirectoryRoleId[] = [...BILLING_ROLES, DirectoryRole.TeamsCommunicationsAdministrator, DirectoryRole.TeamsAdministrator];

export type Permission = "read" | "billing" | "licenses" | "guard";

export const PERMISSION_ROLES: Record<Permission, readonly DirectoryRoleId[]> = {
  read: NOTIFIED_ROLES,
  billing: BILLING_ROLES,
  licenses: LICENSE_ROLES,
  guard: GUARD_ROLES,
};

export function hasPermission(roleIds: readonly string[], permission: Permission): boolean {
  const allowed = PERMISSION_ROLES[permission] as readonly string[];
  return roleIds.some((id) => allowed.includes(id));
}
