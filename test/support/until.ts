/** Ask `what` again every 50 ms until `ok` says its answer is the one awaited, or `ms` ran out; the last answer either way. */
export async function until<T>(what: () => T | Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let value = await what();
  while (!ok(value) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    value = await what();
  }
  return value;
}
