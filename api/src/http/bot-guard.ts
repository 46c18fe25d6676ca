/**
 * /api/messages without a bot registration (APP_ENV=local, BOT_ID empty): the Bot Framework SDK
 * then checks no token, so only this machine may post activities, and the bot may only answer to
 * a serviceUrl on this machine (the local Bot Connector or the Bot Framework Emulator). Otherwise
 * anyone could make the bot send a tenant's balance to an address of their choosing.
 */
import type { Request } from "restify";
import { isLoopbackUrl } from "../config.js";
import { Refusal } from "../shared/refusal.js";

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const ip = address.startsWith("::ffff:") ? address.slice(7) : address;
  return ip === "::1" || /^127(\.\d{1,3}){3}$/.test(ip);
}

/** Throws 401 unless the unauthenticated activity comes from, and answers to, this machine. */
export function acceptBotActivity(req: Request): void {
  if (!isLoopbackAddress(req.socket.remoteAddress)) {
    throw new Refusal(401, "unauthenticated_activity", "This bot has no Bot Framework registration (BOT_ID): it accepts activities from this machine only");
  }
  const serviceUrl = (req.body as { serviceUrl?: unknown } | undefined)?.serviceUrl;
  if (typeof serviceUrl !== "string" || !isLoopbackUrl(serviceUrl)) {
    throw new Refusal(401, "unauthenticated_activity", "Without a Bot Framework registration (BOT_ID) the bot answers only to a serviceUrl on this machine");
  }
}
