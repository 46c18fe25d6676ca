/**
 * Teams activity feed notifications through Microsoft Graph:
 * `POST /users/{id}/teamwork/sendActivityNotification` with an activity type declared in the
 * manifest (`activities.activityTypes`, texts in English and French in the localization files),
 * a text topic whose webUrl is a Teams deep link to the tab, and a chainId: a later notification
 * with the same chainId replaces the earlier one in the feed.
 *
 * Teams' limits, kept with rate-limiter-flexible (per instance): 5 requests a second per app per
 * tenant, at most 10 notifications a minute per user. Over them a send waits for its turn.
 */
import { createHash } from "node:crypto";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { GraphClientFactory } from "../directory/graph-directory.js";
import { waitForPoint } from "../shared/wait-for-point.js";

export const FEED_LIMITS = { tenantPerSecond: 5, userPerMinute: 10 } as const;

export interface ActivityNotification {
  userId: string;
  activityType: string;
  topicText: string;
  webUrl: string;
  previewText: string;
  chainId: number;
  templateParameters: Record<string, string>;
}

export interface ActivityFeed {
  send(tenantId: string, notification: ActivityNotification): Promise<void>;
}

/** A stable Int64 chainId (under 2^48, exact in JSON) for a situation of a tenant. */
export function chainIdOf(tenantId: string, situation: string): number {
  return parseInt(createHash("sha256").update(`${tenantId}|${situation}`).digest("hex").slice(0, 12), 16);
}

export class GraphActivityFeed implements ActivityFeed {
  private readonly perTenant = new RateLimiterMemory({ points: FEED_LIMITS.tenantPerSecond, duration: 1 });
  private readonly perUser = new RateLimiterMemory({ points: FEED_LIMITS.userPerMinute, duration: 60 });

  constructor(private readonly clientFor: GraphClientFactory) {}

  async send(tenantId: string, n: ActivityNotification): Promise<void> {
    await waitForPoint(this.perUser, `${tenantId}|${n.userId}`);
    await waitForPoint(this.perTenant, tenantId);
    await this.clientFor(tenantId)
      .api(`/users/${encodeURIComponent(n.userId)}/teamwork/sendActivityNotification`)
      .post({
        topic: { source: "text", value: n.topicText, webUrl: n.webUrl },
        activityType: n.activityType,
        chainId: n.chainId,
        previewText: { content: n.previewText },
        templateParameters: Object.entries(n.templateParameters).map(([name, value]) => ({ name, value })),
      });
  }
}
