/** Usage ingestion figures for `npm run bench` (filled in by the PSTN usage work). */
import type { App } from "../../api/src/app.js";
import type { TestWorld } from "../support/world.js";
import type { DemoTenant } from "@cc/common";

export interface UsageBenchContext {
  app: App;
  world: TestWorld;
  spread: DemoTenant[];
  seconds: number;
  rawPerSecond: number;
  line(label: string, value: string): void;
  usd(units: number): number;
}

export async function benchUsage(_ctx: UsageBenchContext): Promise<void> {
  // Usage ingestion is measured once the ingestion service exists.
}
