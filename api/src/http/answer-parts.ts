/** What every answer schema is made of (answers*.ts): the type check both ways, amounts, instants, pages. */
import { z } from "zod";

/** True when A and B are assignable both ways; `aligned<…>()` fails typecheck otherwise. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export function aligned<_Check extends true>(): void {}

export const micros = z.number().int().meta({ description: "integer micros of the account's currency (1 unit = 1,000,000)" });
export const instant = z.string().meta({ format: "date-time" });
export const currency = z.string().meta({ description: "ISO 4217 code", example: "USD" });
export const roleIds = z.array(z.string()).meta({ description: "directory role template ids (Entra `wids`)" });

/** `{ items, next }`: every list of the API (API.md "Lists"). */
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });
