/**
 * An append-only file of JSON lines with group commit: records appended while a write runs are
 * written together by the next one, and each append resolves only once its line is on disk
 * (O_DSYNC). A torn last line (a crash mid-append) is ignored when the file is read. Used by the
 * embedded store's journal (journal.ts) and the sandbox card processor.
 */
import { open, readFile, type FileHandle } from "node:fs/promises";
import { constants } from "node:fs";

/** Append, and each write returns only once its data is on disk (O_DSYNC): one system call per group, no separate fsync. */
const APPEND_DSYNC = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC;

export class AppendLog {
  private pending: string[] = [];
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;
  /** The write in progress, settled either way. */
  private writing: Promise<void> = Promise.resolve();
  /** Number of fsyncs made, and records written: their ratio is the group-commit factor. */
  readonly stats = { syncs: 0, records: 0 };

  private constructor(private file: FileHandle) {}

  static async open(path: string): Promise<AppendLog> {
    return new AppendLog(await open(path, APPEND_DSYNC, 0o644));
  }

  /** Resolves once the record is on disk (fsynced). */
  append(record: unknown): Promise<void> {
    return this.appendLine(JSON.stringify(record));
  }

  /** `line` must be one line of JSON (no newline inside). */
  appendLine(line: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push(`${line}\n`);
      this.waiters.push({ resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  /** Wait until everything appended so far is on disk. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /**
   * Continue in another file: every write from now on goes there (a record appended just before may
   * too, which replay tolerates). Returns once the write in progress on the old file is done and
   * the old file is closed. It does not wait for a quiet moment, so a busy store cannot starve it.
   */
  async switchTo(path: string): Promise<void> {
    const next = await open(path, APPEND_DSYNC, 0o644);
    const old = this.file;
    this.file = next;
    await this.writing;
    await old.close();
  }

  async close(): Promise<void> {
    await this.drain();
    await this.file.close();
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const lines = this.pending.splice(0);
        const waiters = this.waiters.splice(0);
        try {
          const write = this.file.write(lines.join("")); // O_DSYNC: on disk when this returns
          this.writing = write.then(
            () => undefined,
            () => undefined,
          );
          await write;
          this.stats.syncs += 1;
          this.stats.records += lines.length;
          for (const w of waiters) w.resolve();
        } catch (error) {
          for (const w of waiters) w.reject(error);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }
}

/**
 * The records of a JSON-lines file. A last line without its newline, or one that does not parse,
 * is a torn append and is dropped; a bad line anywhere else is corruption and throws.
 */
export async function readLog<T>(path: string): Promise<{ records: T[]; tornTail: boolean }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { records: [], tornTail: false };
    throw e;
  }
  const lines = text.split("\n");
  const last = lines.pop() ?? ""; // "" when the file ends with a newline
  const records: T[] = [];
  let tornTail = last.length > 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    try {
      records.push(JSON.parse(lines[i]) as T);
    } catch {
      if (i === lines.length - 1 && !tornTail) {
        tornTail = true; // newline made it to disk but the line's middle did not
        continue;
      }
      throw new Error(`${path}: line ${i + 1} is corrupt (not a torn tail)`);
    }
  }
  return { records, tornTail };
}
