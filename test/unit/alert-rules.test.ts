/** Low-balance thresholds and the alert hold (api/src/notifications/alert-rules.ts). */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { resolveThresholds, thresholdAmountsToday, thresholdCrossed } from "../../api/src/notifications/alert-rules.js";

const usd = (n: number) => n * 1_000_000;

describe("low-balance thresholds", () => {
  const thresholds = resolveThresholds([{ percentOfRecharge: 50 }, { percentOfRecharge: 25 }, { amountMicros: usd(10) }], usd(100));

  it("resolve percentages of the recharge amount, and skip them when there is no amount", () => {
    expect(thresholds.map((t) => t.micros)).toEqual([usd(50), usd(25), usd(10)]);
    expect(resolveThresholds([{ percentOfRecharge: 50 }, { amountMicros: usd(5) }], 0).map((t) => t.key)).toEqual([`amount:${usd(5)}`]);
  });

  it("say what each threshold means today, in order, with the very amounts the alerts compare", () => {
    const given = [{ percentOfRecharge: 12.345 }, { amountMicros: usd(30) }, { percentOfRecharge: 50 }];
    expect(thresholdAmountsToday(given, usd(80))).toEqual([9_876_000, usd(30), usd(40)]);
    expect(thresholdAmountsToday(given, usd(80))).toEqual(resolveThresholds(given, usd(80)).map((t) => t.micros));
    // No recharge amount: a percentage means nothing yet, and keeps its place.
    expect(thresholdAmountsToday(given, 0)).toEqual([null, usd(30), null]);
  });

  it("a debit crossing several tells the highest crossed; staying on one side, or a credit, tells none", () => {
    expect(thresholdCrossed(usd(60), usd(5), thresholds)?.micros).toBe(usd(50));
    expect(thresholdCrossed(usd(45), usd(5), thresholds)?.micros).toBe(usd(25)); // 50.00 was already behind it
    expect(thresholdCrossed(usd(60), usd(40), thresholds)?.micros).toBe(usd(50));
    expect(thresholdCrossed(usd(50), usd(49.99), thresholds)?.micros).toBe(usd(50)); // at the threshold is not below it
    expect(thresholdCrossed(usd(45), usd(30), thresholds)).toBeUndefined();
    expect(thresholdCrossed(usd(5), usd(60), thresholds)).toBeUndefined();
  });

  it("along any walk of the balance, each threshold is told once per descent below it", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -80, max: 80 }), { maxLength: 60 }), (steps) => {
        let balance = usd(100);
        const below = new Map(thresholds.map((t) => [t.micros, false]));
        for (const step of steps) {
          const after = balance + usd(step);
          const told = thresholdCrossed(balance, after, thresholds);
          const newlyBelow = thresholds.filter((t) => !below.get(t.micros) && after < t.micros);
          // Told exactly when some threshold is newly crossed, and then the highest of them.
          if (newlyBelow.length === 0) expect(told).toBeUndefined();
          else expect(told?.micros).toBe(Math.max(...newlyBelow.map((t) => t.micros)));
          for (const t of thresholds) below.set(t.micros, after < t.micros);
          balance = after;
        }
      }),
    );
  });
});
