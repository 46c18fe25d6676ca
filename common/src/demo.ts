/** The demo directory of shared/API.md: seeded by `npm start` and by the test fixtures. */
import { DirectoryRole, type DirectoryRoleId } from "./roles.js";
import type { CallingPlan } from "./api.js";

export interface DemoUser {
  id: string;
  upn: string;
  displayName: string;
  roles: DirectoryRoleId[];
  licensed: boolean;
  callingPlan: CallingPlan;
  usageLocation: string;
  /** Graph `preferredLanguage`; unset = fr-FR for usage location FR, else en-US. */
  preferredLanguage?: string;
  /** Entra `department` (spend by department); none when absent. */
  department?: string;
}

/** An Entra group of the demo directory; members are user ids or other groups' ids (nested). */
export interface DemoGroup {
  id: string;
  displayName: string;
  members: string[];
}

export interface DemoTenant {
  tenantId: string;
  name: string;
  displayName: string;
  /** Country of the organisation (Entra ID `countryLetterCode`). */
  region: string;
  billingCountry: string;
  currency: string;
  users: DemoUser[];
  groups?: DemoGroup[];
}

export const CONTOSO_TENANT_ID = "11111111-1111-4111-8111-111111111111";
export const FABRIKAM_TENANT_ID = "22222222-2222-4222-8222-222222222222";

export const DEMO_TENANTS: DemoTenant[] = [
  {
    tenantId: CONTOSO_TENANT_ID,
    name: "contoso",
    displayName: "Contoso",
    region: "US",
    billingCountry: "US",
    currency: "USD",
    users: [
      {
        id: "a1f0c0de-0000-4000-8000-000000000001",
        upn: "megan@contoso.example",
        displayName: "Megan Bowen",
        roles: [DirectoryRole.BillingAdministrator],
        licensed: false,
        callingPlan: "none",
        usageLocation: "US",
        department: "Finance",
      },
      {
        id: "a1f0c0de-0000-4000-8000-000000000002",
        upn: "adele@contoso.example",
        displayName: "Adele Vance",
        roles: [DirectoryRole.TeamsCommunicationsAdministrator],
        licensed: false,
        callingPlan: "none",
        usageLocation: "US",
        department: "IT",
      },
      {
        id: "a1f0c0de-0000-4000-8000-000000000003",
        upn: "lee@contoso.example",
        displayName: "Lee Gu",
        roles: [DirectoryRole.GlobalAdministrator],
        licensed: true,
        callingPlan: "domestic",
        usageLocation: "US",
        department: "Executive",
      },
      {
        id: "a1f0c0de-0000-4000-8000-000000000004",
        upn: "diego@contoso.example",
        displayName: "Diego Siciliani",
        roles: [],
        licensed: true,
        callingPlan: "domestic",
        usageLocation: "US",
        department: "Sales",
      },
      {
        id: "a1f0c0de-0000-4000-8000-000000000005",
        upn: "lynne@contoso.example",
        displayName: "Lynne Robbins",
        roles: [],
        licensed: false,
        callingPlan: "domestic",
        usageLocation: "US",
        department: "Sales",
      },
    ],
    groups: [
      { id: "c0c0a000-0000-4000-8000-000000000001", displayName: "Field sales", members: ["a1f0c0de-0000-4000-8000-000000000004"] },
      { id: "c0c0a000-0000-4000-8000-000000000002", displayName: "International desk", members: ["c0c0a000-0000-4000-8000-000000000001", "a1f0c0de-0000-4000-8000-000000000003"] },
    ],
  },
  {
    tenantId: FABRIKAM_TENANT_ID,
    name: "fabrikam",
    displayName: "Fabrikam",
    region: "US",
    billingCountry: "US",
    currency: "USD",
    users: [
      {
        id: "b2f0c0de-0000-4000-8000-000000000001",
        upn: "nestor@fabrikam.example",
        displayName: "Nestor Wilke",
        roles: [DirectoryRole.BillingAdministrator],
        licensed: false,
        callingPlan: "none",
        usageLocation: "US",
        department: "Finance",
      },
    ],
  },
];

/** The demo's sender mailbox for notification e-mails (NOTIFY_SENDER_MAILBOX's local default): a shared mailbox of Contoso. */
export const DEMO_SENDER_MAILBOX = "credits@contoso.example";

/**
 * Admins of the demo whose app installation the tenant's app permission policy refuses (the local
 * Graph answers 403 when the app is installed for them), so `npm start` shows the e-mail path:
 * adele is told by e-mail. The test worlds start without it unless a test asks.
 */
export const DEMO_INSTALL_REFUSED: readonly string[] = ["a1f0c0de-0000-4000-8000-000000000002"];
