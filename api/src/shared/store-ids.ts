/**
 * Document ids made from what a client sent. Cosmos DB refuses `/ \ ? #` in an id, and the SDK, which
 * puts the id in a URL path where `?` and `#` would cut it short, also refuses an id of blanks only
 * (measured: a key with `?` once charged a card and then failed to record it; a path id `%20`
 * answered 500). Every id composed from a client-given string (an Idempotency-Key, an id in a
 * path, a conversation id) goes through `storeId`, the one place that makes it safe.
 *
 * - An id with none of those characters stays as it is, so every document written before this
 *   existed is still found under the same id.
 * - Any other id is stored as `~` + base64url of its UTF-8 bytes: injective, and free of every
 *   character the store refuses. The original value stays in the document where it is needed.
 * - The encoded form has no refused character, so `storeId(storeId(x)) === storeId(x)`: an id read
 *   back from the store can be passed through again safely.
 * Ids this app composes start with a fixed prefix (`funds:`, `user:`, `pm-`…), never with `~`, so
 * no kept-as-is id can be mistaken for an encoded one.
 */
// eslint-disable-next-line no-control-regex -- control characters are among what the store refuses
const REFUSED_BY_THE_STORE = /[/\\?#\u0000-\u001f\u007f]/;

/** True when the store takes `id` as it is (the SDK also refuses an id that is empty once trimmed). */
export function isStorable(id: string): boolean {
  return !REFUSED_BY_THE_STORE.test(id) && id.trim() !== "";
}

export function storeId(id: string): string {
  return isStorable(id) ? id : `~${Buffer.from(id, "utf8").toString("base64url")}`;
}
