/**
 * The PSTN usage report as a file for Excel: the columns of the Teams admin center's PSTN usage
 * report, one row per rated call that started in [from, to), oldest first, as CSV or XLSX.
 *
 * Streamed: records are read in keyset pages of `pageSize` on `sortKey` (startDateTime|id, the
 * field the records API pages on) and written as they arrive, so a year of a large tenant never
 * sits in memory. Money is written as decimal strings from integer micros (formatMicros), never as
 * floating point numbers. `prepare` validates the query and reads the first page before a byte is
 * written, so a bad request or an unreachable store is still an ordinary problem+json answer.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { Container } from "@azure/cosmos";
import { formatMicros } from "@cc/common";
import { refuse } from "../shared/refusal.js";
import { queryAll, type Store } from "../store/cosmos.js";
import type { Clock } from "../shared/clock.js";
import type { Rates } from "./rates.js";
import type { RatedCallDoc } from "./rated-call.js";
import { parseRange, type Range } from "./report.js";
import { writeXlsx } from "./export-xlsx.js";

export type ExportFormat = "csv" | "xlsx";

/** The admin center's PSTN usage report columns, in its order. */
export const EXPORT_COLUMNS = [
  "UsageId",
  "Call ID",
  "Conference ID",
  "User Location",
  "AAD ObjectId",
  "UPN",
  "User Display Name",
  "Caller ID",
  "Call Type",
  "Number Type",
  "Domestic/International",
  "Destination Dialed",
  "Destination Number",
  "Start Time",
  "End Time",
  "Duration Seconds",
  "Connection Fee",
  "Charge",
  "Currency",
  "Capability",
] as const;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** The fields a row needs (a projection: the export never reads whole documents it does not use). */
type ExportedDoc = Pick<
  RatedCallDoc,
  | "id"
  | "callId"
  | "conferenceId"
  | "usageCountryCode"
  | "userId"
  | "userPrincipalName"
  | "userDisplayName"
  | "callerNumber"
  | "callType"
  | "inventoryType"
  | "destinationContext"
  | "destinationName"
  | "destinationCountry"
  | "calleeNumber"
  | "startDateTime"
  | "endDateTime"
  | "duration"
  | "connectionFeeMicros"
  | "chargeMicros"
  | "chargedTo"
  | "currency"
  | "licenseCapability"
  | "sortKey"
>;

const PROJECTION = [
  "id",
  "callId",
  "conferenceId",
  "usageCountryCode",
  "userId",
  "userPrincipalName",
  "userDisplayName",
  "callerNumber",
  "callType",
  "inventoryType",
  "destinationContext",
  "destinationName",
  "destinationCountry",
  "calleeNumber",
  "startDateTime",
  "endDateTime",
  "duration",
  "connectionFeeMicros",
  "chargeMicros",
  "chargedTo",
  "currency",
  "licenseCapability",
  "sortKey",
]
  .map((f) => `c.${f}`)
  .join(", ");

/** One cell: text, or a whole number (Duration Seconds). */
type Cell = string | number;

export interface ExportPlan {
  format: ExportFormat;
  filename: string;
  contentType: string;
  range: Range;
  /** Write the file to `out` and end it. */
  write(out: Writable): Promise<void>;
}

export class UsageExport {
  private readonly usage: Container;

  constructor(
    store: Store,
    private readonly rates: Rates,
    private readonly clock: Clock,
    private readonly pageSize = 10_000,
  ) {
    this.usage = store.containers.usage;
  }

  /** Validate the query and read the first page; the returned plan streams the rest. */
  async prepare(tenantId: string, query: { from?: unknown; to?: unknown; format?: unknown }): Promise<ExportPlan> {
    const format = parseFormat(query.format);
    const range = parseRange({ from: query.from, to: query.to }, this.clock.now());
    const first = await this.page(tenantId, range, range.from.toISOString());
    const filename = `pstn-usage-${fileDate(range.from)}-${fileDate(range.to)}.${format}`;
    const pages = this.pages(tenantId, range, first);
    return {
      format,
      filename,
      contentType: CONTENT_TYPES[format],
      range,
      write: (out) => (format === "csv" ? this.writeCsv(pages, out) : this.writeXlsx(pages, out)),
    };
  }

  /** The admin center row of one rated call. */
  row(doc: ExportedDoc): Cell[] {
    const text = (v: string | null | undefined) => v ?? "";
    // Only a fee actually charged to credits is a fee the organisation paid.
    const connectionFee = doc.chargedTo === "credits" ? (doc.connectionFeeMicros ?? 0) : 0;
    return [
      doc.id,
      text(doc.callId),
      text(doc.conferenceId),
      text(doc.usageCountryCode),
      text(doc.userId),
      text(doc.userPrincipalName),
      text(doc.userDisplayName),
      text(doc.callerNumber),
      doc.callType,
      text(doc.inventoryType),
      text(doc.destinationContext),
      doc.destinationName || (doc.destinationCountry ? this.rates.countryName(doc.destinationCountry) : ""),
      text(doc.calleeNumber),
      utc(doc.startDateTime),
      utc(doc.endDateTime),
      doc.duration,
      formatMicros(connectionFee),
      formatMicros(doc.chargeMicros),
      doc.currency,
      text(doc.licenseCapability),
    ];
  }

  /**
   * Records after `after` (a sortKey or the range start), oldest first, at most pageSize, from the
   * first UTC day from `after`'s that has any (one day per query: a query sorts a day's records at
   * most). Empty when there is none before the range's end.
   */
  private async page(tenantId: string, range: Range, after: string): Promise<ExportedDoc[]> {
    const to = range.to.toISOString();
    for (let day = after.slice(0, 10); day <= to.slice(0, 10); day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
      const found = await queryAll<ExportedDoc>(
        this.usage,
        tenantId,
        `SELECT TOP ${this.pageSize} ${PROJECTION} FROM c WHERE c.tenantId = @tenantId AND c.day = @day AND c.sortKey > @after AND c.sortKey < @to ORDER BY c.sortKey ASC`,
        { "@day": day, "@after": after, "@to": to },
        day.slice(0, 7), // the day's month partition
      );
      if (found.length > 0) return found;
    }
    return [];
  }

  private async *pages(tenantId: string, range: Range, first: ExportedDoc[]): AsyncGenerator<ExportedDoc[]> {
    let page = first;
    while (page.length > 0) {
      yield page;
      page = await this.page(tenantId, range, page[page.length - 1].sortKey);
    }
  }

  private async writeCsv(pages: AsyncGenerator<ExportedDoc[]>, out: Writable): Promise<void> {
    // The BOM tells Excel the file is UTF-8 (names with accents); CRLF line ends as RFC 4180 says.
    await write(out, `\uFEFF${csvLine([...EXPORT_COLUMNS])}`);
    for await (const page of pages) {
      if (out.destroyed) return;
      await write(out, page.map((doc) => csvLine(this.row(doc))).join(""));
    }
    out.end();
    await settled(out, "finish");
  }

  private async writeXlsx(pages: AsyncGenerator<ExportedDoc[]>, out: Writable): Promise<void> {
    const rows = async function* (this: UsageExport) {
      for await (const page of pages) yield page.map((doc) => this.row(doc));
    }.call(this);
    await writeXlsx(out, { name: "PSTN usage", header: EXPORT_COLUMNS, ...XLSX_COLUMNS }, rows);
  }
}

/** In the XLSX, times are dates and amounts are numbers (Excel can sum and sort them); CSV keeps text. */
const XLSX_COLUMNS = {
  dates: ["Start Time", "End Time"].map((c) => EXPORT_COLUMNS.indexOf(c as (typeof EXPORT_COLUMNS)[number])),
  amounts: ["Connection Fee", "Charge"].map((c) => EXPORT_COLUMNS.indexOf(c as (typeof EXPORT_COLUMNS)[number])),
};

function parseFormat(value: unknown): ExportFormat {
  if (value === undefined || value === "") return "csv";
  if (value === "csv" || value === "xlsx") return value;
  throw refuse.invalid("format", "exportFormat");
}

/** "2025-03-01" for a midnight, else a compact UTC instant ("20250301T093000Z"): safe in a file name. */
function fileDate(at: Date): string {
  const iso = at.toISOString();
  if (iso.endsWith("T00:00:00.000Z")) return iso.slice(0, 10);
  return iso.replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

function utc(value: string): string {
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. A text
 * that a spreadsheet would run as a formula (=, @, tab, CR, or + / - not followed by a plain
 * number) is prefixed with an apostrophe; phone numbers such as +14255550100 stay as they are.
 */
export function csvCell(value: Cell): string {
  let text = String(value);
  const formulaLike = /^[=@\t\r]/.test(text) || (/^[+-]/.test(text) && !/^[+-]\d+(\.\d+)?$/.test(text));
  if (typeof value === "string" && formulaLike) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(cells: Cell[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await settled(out, "drain");
}

/** Wait for `event`, or for the stream to close (a client that hung up never drains). */
async function settled(out: Writable, event: "drain" | "finish"): Promise<void> {
  if (out.destroyed) return;
  const ac = new AbortController();
  await Promise.race([once(out, event, { signal: ac.signal }), once(out, "close", { signal: ac.signal })]).finally(() => ac.abort());
}

/**
 * A small report table (the department totals) through the same file machinery: CSV (BOM, CRLF,
 * money as decimal text from micros) or XLSX (money as numbers Excel can sum). `moneyColumns` are
 * the indexes whose cells are micros.
 */
export function tablePlan(format: unknown, filename: string, header: string[], rows: (string | number)[][], moneyColumns: number[]): Omit<ExportPlan, "range"> {
  const chosen = parseFormat(format);
  const text = rows.map((r) => r.map((cell, i) => (moneyColumns.includes(i) && typeof cell === "number" ? formatMicros(cell) : cell)));
  return {
    format: chosen,
    filename: `${filename}.${chosen}`,
    contentType: CONTENT_TYPES[chosen],
    async write(out) {
      if (chosen === "csv") {
        await write(out, `\uFEFF${csvLine(header)}${text.map(csvLine).join("")}`);
        out.end();
        await settled(out, "finish");
        return;
      }
      await writeXlsx(out, { name: filename, header, dates: [], amounts: moneyColumns }, [text]);
    },
  };
}
