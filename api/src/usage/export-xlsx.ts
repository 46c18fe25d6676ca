/**
 * The XLSX writer of the usage export and the report tables: exceljs's streaming WorkbookWriter
 * (no shared strings, styles only for the number formats), one row committed at a time, written
 * into `out` (the HTTP response) at the pace `out` takes it.
 *
 * Why the pacing is done here: exceljs hands each sheet's XML to its zip (archiver) without
 * looking at what the zip's entry stream answers, so a producer faster than the deflater piles
 * the uncompressed XML up in memory (measured: +269 MB of RSS for a 400,000-row month). The zip to
 * `out` is an ordinary pipe (it waits for `out`), so bounding the one place that does not wait —
 * the sheet's entry stream — bounds the whole chain: the producer stops while more than
 * MAX_PENDING_BYTES of the sheet wait to be compressed, and resumes when they are taken, which
 * is when the client has taken what came before them. Peak memory is then the same for 10,000 or
 * 400,000 rows.
 *
 * Why the styles are shared: a cell's number format is a style object, and exceljs works out the
 * style id of every cell from its style object (rendering it as XML to look it up) unless it has
 * seen that very object before. Each cell of a row gets the one object of its (format, value
 * type), so the lookup is done once per kind of cell rather than twenty times a row; the ids, and
 * so the file, are the same as with a fresh object per cell.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import ExcelJS from "exceljs";

/** One cell as the CSV has it: text, or a whole number (counts, seconds). */
export type XlsxCell = string | number;

export interface XlsxSheet {
  /** The worksheet's name (Excel allows 31 characters). */
  name: string;
  header: readonly string[];
  /** Columns of ISO instants: written as dates (a text that is no instant stays text). */
  dates: readonly number[];
  /** Columns of decimal amounts ("12.50", from micros): written as numbers Excel can sum. */
  amounts: readonly number[];
}

const DATE_FORMAT = "yyyy-mm-dd hh:mm:ss";
/** Two decimals at least, up to the micro: a rate of 0.004 is not shown as 0.00. */
const AMOUNT_FORMAT = "0.00####";

/** Uncompressed sheet XML allowed to wait for the zip before the producer waits (about 1,000 rows). */
export const MAX_PENDING_BYTES = 1024 * 1024;

/**
 * What exceljs's sheet entry stream (its StreamBuf) exposes: the stream it writes into once the
 * zip takes the entry (archiver's PassThrough, from readable-stream 2, which has no
 * `writableLength`: its `_writableState` is read, as in Node's own streams), and its own buffers
 * until then.
 */
interface SheetEntryStream {
  pipes?: ZipEntryInput[];
  buffers?: { length: number }[];
}
type ZipEntryInput = Writable & { _writableState?: { length: number; needDrain: boolean } };

/**
 * Write one worksheet, its header then every row of `pages`, to `out` and end it. Returns early,
 * without ending `out`, when `out` is destroyed (the client went away).
 */
export async function writeXlsx(out: Writable, sheet: XlsxSheet, pages: AsyncIterable<XlsxCell[][]> | Iterable<XlsxCell[][]>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = "Communications Credits";
  const worksheet = workbook.addWorksheet(sheet.name.slice(0, 31));
  worksheet.addRow([...sheet.header]).commit();
  const formats = new Map<number, string>([...sheet.dates.map((i) => [i, DATE_FORMAT] as const), ...sheet.amounts.map((i) => [i, AMOUNT_FORMAT] as const)]);
  const styles = new Map<string, Partial<ExcelJS.Style>>();
  const entry = (worksheet as unknown as { stream: SheetEntryStream }).stream;
  for await (const page of pages) {
    if (out.destroyed) return;
    for (const cells of page) {
      const row = worksheet.addRow(typed(cells, sheet));
      row.eachCell({ includeEmpty: true }, (cell, column) => {
        const numFmt = formats.get(column - 1);
        const key = `${numFmt ?? ""}|${cell.type}`;
        let style = styles.get(key);
        if (!style) styles.set(key, (style = numFmt ? { numFmt } : {}));
        cell.style = style;
      });
      row.commit();
      if (pending(entry) > MAX_PENDING_BYTES) {
        await taken(entry, out);
        if (out.destroyed) return;
      }
    }
  }
  worksheet.commit();
  await workbook.commit();
}

/** A row's cells as Excel should hold them: instants as dates, amounts as numbers, the rest as they are. */
function typed(cells: XlsxCell[], sheet: XlsxSheet): (XlsxCell | Date)[] {
  const row: (XlsxCell | Date)[] = cells.slice();
  for (const i of sheet.dates) {
    const cell = cells[i];
    if (typeof cell !== "string" || !cell) continue;
    const at = new Date(cell);
    if (!Number.isNaN(at.getTime())) row[i] = at;
  }
  for (const i of sheet.amounts) {
    const cell = cells[i];
    if (typeof cell === "string" && /^-?\d+(\.\d+)?$/.test(cell)) row[i] = Number(cell);
  }
  return row;
}

/** Bytes of the sheet waiting for the zip: in the entry stream's own buffers, or in the stream it writes into. */
function pending(entry: SheetEntryStream): number {
  const target = entry.pipes?.[0];
  if (target) return target._writableState?.length ?? target.writableLength;
  return (entry.buffers ?? []).reduce((sum, b) => sum + b.length, 0);
}

/** Until the zip has taken the pending XML (or `out` closed: a client that hung up takes nothing more). */
async function taken(entry: SheetEntryStream, out: Writable): Promise<void> {
  const ac = new AbortController();
  const closed = once(out, "close", { signal: ac.signal });
  try {
    while (!out.destroyed && pending(entry) > MAX_PENDING_BYTES) {
      const target = entry.pipes?.[0];
      // Not yet taken by the zip (it is finishing an earlier entry): look again on the next turn.
      const drained = (target?._writableState?.needDrain ?? target?.writableNeedDrain) ? once(target!, "drain", { signal: ac.signal }) : new Promise((r) => setImmediate(r));
      await Promise.race([drained, closed]);
    }
  } catch (e) {
    if (!ac.signal.aborted) throw e;
  } finally {
    ac.abort();
    closed.catch(() => undefined);
  }
}
