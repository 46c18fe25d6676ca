/**
 * The PSTN usage report export: CSV parsed back (RFC 4180) and XLSX read back with exceljs, with
 * the admin center's columns, exact money strings, every record of the range across several store
 * pages, the caller's tenant only, and bad requests answered with problem+json before any byte.
 */
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { CONTOSO_TENANT_ID, parseDecimalToMicros } from "@cc/common";
import { startWorld, type TestWorld } from "../support/world.js";
import { ApiClient } from "../support/http.js";
import type { App } from "../../api/src/app.js";
import { EXPORT_COLUMNS, UsageExport, csvCell } from "../../api/src/usage/export.js";
import { simulateCalls } from "../../api/src/local/simulator/index.js";
import { call, USAGE_TENANTS, WOODGROVE } from "./usage-fixtures.js";

const MARCH = "from=2025-03-01&to=2025-04-01";

/** RFC 4180: fields split by commas, records by CRLF, quoted fields may hold both and "" is a quote. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += ch;
  }
  if (field !== "" || record.length > 0) throw new Error("the last record does not end with CRLF");
  return records;
}

async function download(client: ApiClient, query: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(new URL(`/api/v1/usage/export?${query}`, client.baseUrl), { headers: { authorization: `Bearer ${client.token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

function csvOf(bytes: Buffer): { bom: boolean; header: string[]; rows: Record<string, string>[] } {
  const text = bytes.toString("utf8");
  const bom = text.startsWith("\uFEFF");
  const [header, ...records] = parseCsv(bom ? text.slice(1) : text);
  return { bom, header, rows: records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

describe("usage export", () => {
  let world: TestWorld;
  let app: App;
  let adele: ApiClient; // contoso Teams Communications Administrator: may read
  let hanna: ApiClient; // woodgrove Billing Administrator

  const lee = "lee@contoso.example";
  const known = {
    // Conference dial-out to a Philippine mobile (beyond Zone A): 2 min × 0.20 + 0.01 connection fee = 0.41.
    confOut: {
      ...call({ upn: lee, callType: "conf_out", to: "+639171234567", seconds: 61, start: "2025-03-10T15:00:00Z", id: "export-conf-out" }),
      conferenceId: "conf-42",
      usageCountryCode: "US",
      destinationContext: "International",
      destinationName: "Philippines",
      licenseCapability: "MCOMEETADV",
    },
    // Toll-free bridge: 3 min × 0.02 = 0.06, no user.
    tollFree: call({
      callType: "conf_in",
      to: "+18005550100",
      seconds: 125,
      start: "2025-03-10T16:00:00Z",
      inventoryType: "Toll Free",
      from: "+12065550199",
      id: "export-toll-free",
    }),
    // Unlicensed lynne to Berlin: would be 0.025, charged to nobody → 0.00; her display name needs quoting.
    unlicensed: {
      ...call({ upn: "lynne@contoso.example", to: "+4930123456", seconds: 60, start: "2025-03-11T09:00:00Z", id: "export-unlicensed" }),
      userDisplayName: 'Robbins, Lynne "LR"',
      callId: '=HYPERLINK("http://x")',
    },
    // Outside the range: April.
    april: call({ upn: lee, to: "+12065550100", seconds: 60, start: "2025-04-02T09:00:00Z", id: "export-april" }),
  };

  beforeAll(async () => {
    world = await startWorld({ tenants: USAGE_TENANTS });
    app = await world.app();
    adele = await ApiClient.signIn(app.url, "adele@contoso.example");
    hanna = await ApiClient.signIn(app.url, "hanna@woodgrove.example");
    const result = await app.services.usage.ingest(CONTOSO_TENANT_ID, Object.values(known), "export-test");
    expect(result).toMatchObject({ accepted: 4, rejected: [] });
    // A month of realistic calls for contoso in May: more rows than one store page (500).
    const may = simulateCalls({ tenant: USAGE_TENANTS[0], days: 31, from: new Date("2025-05-01T00:00:00Z"), seed: 11, callsPerUserPerDay: 8 });
    for (let i = 0; i < may.length; i += 1000) expect((await app.services.usage.ingest(CONTOSO_TENANT_ID, may.slice(i, i + 1000))).rejected).toEqual([]);
    // Woodgrove's own call in March.
    await app.services.usage.ingest(WOODGROVE.tenantId, [
      call({ upn: "jonas@woodgrove.example", to: "+4930123456", seconds: 60, start: "2025-03-10T10:00:00Z", id: "woodgrove-call" }),
    ]);
  });
  afterAll(() => world.close());

  it("CSV: BOM, CRLF, the admin center's columns, exact money strings, RFC 4180 quoting", async () => {
    const res = await download(adele, `${MARCH}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="pstn-usage-2025-03-01-2025-04-01.csv"');
    const { bom, header, rows } = csvOf(res.bytes);
    expect(bom).toBe(true);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    // Oldest first; April is outside [from, to).
    expect(rows.map((r) => r.UsageId)).toEqual(["export-conf-out", "export-toll-free", "export-unlicensed"]);
    expect(rows[0]).toMatchObject({
      "Call ID": known.confOut.callId!,
      "Conference ID": "conf-42",
      "User Location": "US",
      "AAD ObjectId": "a1f0c0de-0000-4000-8000-000000000003",
      UPN: "lee@contoso.example",
      "User Display Name": "Lee Gu",
      "Caller ID": "+14255550123",
      "Call Type": "conf_out",
      "Number Type": "Subscriber",
      "Domestic/International": "International",
      "Destination Dialed": "Philippines",
      "Destination Number": "+639171234567",
      "Start Time": "2025-03-10T15:00:00.000Z",
      "End Time": "2025-03-10T15:01:01.000Z",
      "Duration Seconds": "61",
      "Connection Fee": "0.01",
      Charge: "0.41",
      Currency: "USD",
      Capability: "MCOMEETADV",
    });
    // No user on a toll-free bridge; the destination's name comes from the rate card when Graph sent none.
    expect(rows[1]).toMatchObject({
      UPN: "",
      "AAD ObjectId": "",
      "Call Type": "conf_in",
      "Number Type": "Toll Free",
      "Destination Dialed": "United States",
      "Connection Fee": "0.00",
      Charge: "0.06",
      "Duration Seconds": "125",
    });
    // Quotes and commas survive the round trip; a formula is neutralised with an apostrophe.
    expect(rows[2]).toMatchObject({ "User Display Name": 'Robbins, Lynne "LR"', "Call ID": '\'=HYPERLINK("http://x")', Charge: "0.00", "Connection Fee": "0.00" });
    expect(res.bytes.toString("utf8")).toContain('"Robbins, Lynne ""LR"""');
    expect(res.bytes.toString("utf8").split("\r\n")).toHaveLength(5); // header, 3 rows, "" after the last CRLF
  });

  it("XLSX: read back with exceljs, the same columns and values", async () => {
    const res = await download(adele, `${MARCH}&format=xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="pstn-usage-2025-03-01-2025-04-01.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe("PSTN usage");
    expect(sheet.rowCount).toBe(4);
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual([...EXPORT_COLUMNS]);
    const row = Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, values(2)[i]]));
    // Amounts are numbers and times are dates, so Excel sums and sorts them (issue 11); CSV keeps exact text.
    expect(row).toMatchObject({ UsageId: "export-conf-out", "Connection Fee": 0.01, Charge: 0.41, Currency: "USD", "Duration Seconds": 61, "Destination Number": "+639171234567" });
    expect(row["Start Time"]).toEqual(new Date("2025-03-10T15:00:00.000Z"));
    expect(sheet.getRow(2).getCell(EXPORT_COLUMNS.indexOf("Charge") + 1).numFmt).toBe("0.00####");
    expect(values(3)[0]).toBe("export-toll-free");
    expect(values(3)[EXPORT_COLUMNS.indexOf("Charge")]).toBe(0.06);
    expect(values(4)[EXPORT_COLUMNS.indexOf("User Display Name")]).toBe('Robbins, Lynne "LR"');
  });

  it("streams every record of a range across several store pages, in CSV and XLSX alike", async () => {
    const { resources } = await app.world.store.containers.usage.items
      .query<{ id: string; chargeMicros: number }>({
        query: "SELECT c.id, c.chargeMicros FROM c WHERE c.tenantId = @t AND c.sortKey >= '2025-05-01' AND c.sortKey < '2025-06-01' ORDER BY c.sortKey ASC",
        parameters: [{ name: "@t", value: CONTOSO_TENANT_ID }],
      })
      .fetchAll();
    expect(resources.length).toBeGreaterThan(1000);
    const csv = csvOf((await download(adele, "from=2025-05-01&to=2025-06-01&format=csv")).bytes);
    expect(csv.rows.map((r) => r.UsageId)).toEqual(resources.map((r) => r.id));
    // The charges add up to the micro: decimal strings, no float on the way.
    expect(csv.rows.reduce((a, r) => a + parseDecimalToMicros(r.Charge), 0)).toBe(resources.reduce((a, r) => a + r.chargeMicros, 0));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download(adele, "from=2025-05-01&to=2025-06-01&format=xlsx")).bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets[0].rowCount).toBe(resources.length + 1);
  });

  it("the service pages with a keyset: a page size of 2 gives the same file", async () => {
    const exporter = new UsageExport(app.world.store, app.services.rates, app.services.clock, 2);
    const plan = await exporter.prepare(CONTOSO_TENANT_ID, { from: "2025-03-01", to: "2025-05-01", format: "csv" });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    await plan.write(out);
    expect(csvOf(Buffer.concat(chunks)).rows.map((r) => r.UsageId)).toEqual(["export-conf-out", "export-toll-free", "export-unlicensed", "export-april"]);
    expect(plan.filename).toBe("pstn-usage-2025-03-01-2025-05-01.csv");
  });

  it("another tenant's export holds only its own calls", async () => {
    const theirs = csvOf((await download(hanna, `${MARCH}&format=csv`)).bytes);
    expect(theirs.rows.map((r) => r.UsageId)).toEqual(["woodgrove-call"]);
    const ours = csvOf((await download(adele, `${MARCH}&format=csv`)).bytes);
    expect(ours.rows.map((r) => r.UsageId)).not.toContain("woodgrove-call");
  });

  it("refuses bad input and callers without a role with problem+json, before any file byte", async () => {
    for (const query of [`${MARCH}&format=pdf`, "from=2025-13-01&to=2025-04-01", "from=2025-04-01&to=2025-03-01", "from=2024-01-01&to=2025-06-01", "from=yesterday"]) {
      const res = await download(adele, query);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.headers.get("content-disposition")).toBeNull();
      expect(JSON.parse(res.bytes.toString("utf8"))).toMatchObject({ status: 400, errors: [expect.objectContaining({ path: expect.any(String) })] });
    }
    const lynne = await ApiClient.signIn(app.url, "lynne@contoso.example");
    expect((await download(lynne, MARCH)).status).toBe(403);
    expect((await download(new ApiClient(app.url, "not-a-token"), MARCH)).status).toBe(401);
    // Without format: CSV; a date-time range names the file by its instants.
    const res = await download(adele, "from=2025-03-10T15:00:00Z&to=2025-03-10T16:00:00Z");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="pstn-usage-20250310T150000Z-20250310T160000Z.csv"');
    expect(csvOf(res.bytes).rows.map((r) => r.UsageId)).toEqual(["export-conf-out"]);
  });

  it("neutralises formulas but keeps phone numbers and amounts as they are", () => {
    expect(csvCell("+14255550123")).toBe("+14255550123");
    expect(csvCell("-12.50")).toBe("-12.50");
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(csvCell('say "hi", bye')).toBe('"say ""hi"", bye"');
    expect(csvCell(61)).toBe("61");
  });
});
