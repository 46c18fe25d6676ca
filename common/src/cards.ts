/** A card is good through the last day of its expiry month (UTC); after that it cannot be charged. */
export function isCardExpired(card: { expMonth: number; expYear: number }, now: Date): boolean {
  return card.expYear * 12 + card.expMonth < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
}
