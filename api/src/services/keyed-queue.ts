/**
 * Runs tasks one at a time per key within this process. It is not what keeps money correct —
 * ETags and deterministic ids do that across instances — it keeps one instance's concurrent
 * postings to one account from racing each other for the same seq, which would turn n
 * concurrent requests into n² store round trips.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
