/** Test directories: the demo tenants plus one whose region differs from its billing country. */
import { DEMO_TENANTS, DirectoryRole, type DemoTenant } from "@cc/common";

export const NORTHWIND: DemoTenant = {
  tenantId: "33333333-3333-4333-8333-333333333333",
  name: "northwind",
  displayName: "Northwind Traders",
  region: "FR",
  billingCountry: "US",
  currency: "USD",
  users: [
    {
      id: "c3f0c0de-0000-4000-8000-000000000001",
      upn: "anne@northwind.example",
      displayName: "Anne Dodsworth",
      roles: [DirectoryRole.BillingAdministrator],
      licensed: false,
      callingPlan: "none",
      usageLocation: "FR",
    },
  ],
};

export const TEST_TENANTS: DemoTenant[] = [...DEMO_TENANTS, NORTHWIND];
