/**
 * The XLSX writer (api/src/usage/export-xlsx.ts): it writes no faster than its reader takes the
 * file, so a slow client holds the producer back instead of the server's memory, and the file it
 * writes reads back with its dates, amounts and formats.
 */
import { createHash } from "node:crypto";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { MAX_PENDING_BYTES, writeXlsx, type XlsxCell } from "../../api/src/usage/export-xlsx.js";

const HEADER = ["Id", "Name", "Start Time", "Seconds", "Charge"];
const SHEET = { name: "PSTN usage", header: HEADER, dates: [2], amounts: [4] };
const ROWS = 24_000;
const PAGE = 500;

/** Text that does not compress (as ids and names mostly do not): the zip cannot hide a backlog. */
const noise = (k: number) => ["a", "b", "c", "d"].map((salt) => createHash("sha512").update(`${salt}${k}`).digest("base64")).join("");

function rowOf(k: number): XlsxCell[] {
  return [
    `usage-${k}-${noise(k)}`,
    `User ${k} <&> "quoted"`,
    new Date(Date.UTC(2025, 4, 1) + k * 60_000).toISOString(),
    60 + (k % 600),
    `${k % 7}.${String(k % 100).padStart(2, "0")}`,
  ];
}

/** Pages of rows, counting how many the writer has asked for. */
function source() {
  const produced = { rows: 0 };
  async function* pages() {
    for (let at = 0; at < ROWS; at += PAGE) {
      yield Array.from({ length: PAGE }, (_, i) => rowOf(at + i));
      produced.rows += PAGE;
    }
  }
  return { produced, pages: pages() };
}

/** Resolves once `value()` has stopped changing for `quietMs`. */
async function settles(value: () => number, quietMs: number): Promise<number> {
  let last = value();
  for (;;) {
    await new Promise((r) => setTimeout(r, quietMs));
    if (value() === last) return last;
    last = value();
  }
}

describe("the XLSX writer", () => {
  it("stops producing while the client reads nothing, and finishes the whole file once it reads", async () => {
    const { produced, pages } = source();
    const out = new PassThrough(); // nobody reads it yet: what is written waits in its buffer
    const written = writeXlsx(out, SHEET, pages);
    const stalled = await settles(() => produced.rows, 300);
    // MAX_PENDING_BYTES of sheet XML and the zip's own buffer (1 MB compressed), not the 24,000 rows (~16 MB of XML).
    expect(stalled).toBeLessThan(ROWS / 2);
    expect(out.readableLength).toBeLessThan(4 * MAX_PENDING_BYTES);
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    await written;
    expect(produced.rows).toBe(ROWS);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe("PSTN usage");
    expect(sheet.rowCount).toBe(ROWS + 1);
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
    for (const k of [0, 1, 4_321, ROWS - 1]) {
      const row = sheet.getRow(k + 2);
      const expected = rowOf(k);
      expect((row.values as unknown[]).slice(1)).toEqual([expected[0], expected[1], new Date(expected[2] as string), expected[3], Number(expected[4])]);
      expect(row.getCell(3).numFmt).toBe("yyyy-mm-dd hh:mm:ss");
      expect(row.getCell(5).numFmt).toBe("0.00####");
      expect(row.getCell(2).numFmt).toBeUndefined();
    }
  });

  it("gives up without hanging when the client goes away mid-file", async () => {
    const { produced, pages } = source();
    const out = new PassThrough();
    const written = writeXlsx(out, SHEET, pages);
    await settles(() => produced.rows, 300);
    out.destroy();
    await written;
    expect(produced.rows).toBeLessThan(ROWS);
  });

  it("keeps a text that is no date or amount as text", async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    await writeXlsx(out, SHEET, [[["x", "y", "not a date", 1, "n/a"]]]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect((workbook.worksheets[0].getRow(2).values as unknown[]).slice(1)).toEqual(["x", "y", "not a date", 1, "n/a"]);
  });
});
