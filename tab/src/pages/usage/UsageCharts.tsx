/**
 * The usage report's charts: charges per day (vertical bars on a date axis) and the top groups by
 * charge (horizontal bars). Bar lengths are floats; every number a person reads (axis labels,
 * callouts) is money to the cent in the account currency, formatted from micros.
 */
import { HorizontalBarChartWithAxis, VerticalBarChart, type HorizontalBarChartWithAxisDataPoint, type VerticalBarChartDataPoint } from "@fluentui/react-charts";
import { tokens } from "@fluentui/react-components";
import { MICROS_PER_UNIT } from "@cc/common";
import { useLayoutEffect, useState } from "react";
import type { UsageSummaryGroup } from "../../api/credits";
import { EmptyState } from "../../components/EmptyState";
import { useI18n } from "../../i18n";

// One series, one colour: the theme's brand colour, so dark and high contrast restyle the bars.
const BAR_COLOR = tokens.colorBrandBackground;

type Money = (micros: number, currency: string) => string;

/** Round axis steps (1, 2 or 5 × a power of ten) from 0 to just above `max`, at most `count` + 1 ticks. */
export function moneyTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(Number(v.toFixed(6)));
  return ticks;
}

/** The element's width in px as it lays out (0 until measured), following its resizes. */
function useWidth(el: HTMLElement | null): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    if (!el) return;
    setWidth(el.clientWidth);
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, [el]);
  return width;
}

/** Average width of one axis label character in px (the chart's 12 px text), a little generous. */
const CHAR_PX = 7;

/**
 * Room for the names beside the bars: the longest name when it fits in 45 % of the chart's width,
 * else that 45 % with the names shortened to fit (their full names in a tooltip and in the table).
 */
export function labelRoom(longest: number, width: number): { left: number; full: boolean; chars: number } {
  const needed = 16 + CHAR_PX * longest;
  const room = width > 0 ? Math.max(80, Math.floor(width * 0.45)) : 130;
  if (needed <= room) return { left: needed, full: true, chars: longest };
  return { left: room, full: false, chars: Math.max(4, Math.floor((room - 16) / CHAR_PX) - 1) };
}

interface GroupChartProps {
  groups: UsageSummaryGroup[];
  currency: string;
  name: (key: string) => string;
  money: Money;
  title: string;
  testId: string;
}

/** Top 10 groups by charge as horizontal bars, their names on the axis (shortened only when the panel is too narrow for them). */
export function GroupChart({ groups, currency, name, money, title, testId }: GroupChartProps) {
  const { t } = useI18n();
  const [box, setBox] = useState<HTMLDivElement | null>(null);
  const width = useWidth(box);
  const top = [...groups]
    .filter((g) => g.chargeMicros > 0)
    .sort((a, b) => b.chargeMicros - a.chargeMicros)
    .slice(0, 10);
  if (top.length === 0) return null;
  const data: HorizontalBarChartWithAxisDataPoint[] = top.reverse().map((group) => ({
    x: group.chargeMicros / MICROS_PER_UNIT,
    y: name(group.key),
    legend: title,
    color: BAR_COLOR,
    xAxisCalloutData: name(group.key),
    yAxisCalloutData: t("chartCallout", { amount: money(group.chargeMicros, currency), calls: group.calls, minutes: group.minutes }),
  }));
  const room = labelRoom(Math.max(...data.map((d) => String(d.y).length)), width);
  // As many amounts on the axis as fit side by side ("4,00 $US" is wider than "$4.00"): at 320 px, two.
  const plot = (width || 600) - room.left - 48;
  const labelPx = CHAR_PX * money(Math.max(...top.map((g) => g.chargeMicros)) * 2, currency).length + 16;
  const ticks = moneyTicks(Math.max(...data.map((d) => d.x)), Math.max(1, Math.min(4, Math.floor(plot / labelPx))));
  return (
    <div ref={setBox} data-testid={testId} style={{ minWidth: 0, overflow: "hidden" }}>
      <HorizontalBarChartWithAxis
        data={data}
        height={Math.max(160, 40 + top.length * 32)}
        // Full names when they fit beside their bars; in a narrow panel, shortened with a tooltip (never cut off at the edge).
        margins={{ left: room.left, right: 48 }}
        showYAxisLables={room.full}
        showYAxisLablesTooltip={!room.full}
        noOfCharsToTruncate={room.chars}
        hideLegend
        chartTitle={title}
        xAxisTitle={t("chargeAxis", { currency })}
        barHeight={18}
        // The chart would write a bare float at each bar's end ("27.5"): the table beside says the amount to the cent.
        hideLabels
        tickValues={ticks}
        xMaxValue={ticks[ticks.length - 1]}
        xAxis={{ tickText: ticks.map((v) => money(Math.round(v * MICROS_PER_UNIT), currency)) }}
      />
    </div>
  );
}

interface DailyChartProps {
  groups: UsageSummaryGroup[];
  days: string[];
  currency: string;
  money: Money;
  title: string;
}

export function DailyChart({ groups, days, currency, money, title }: DailyChartProps) {
  const { t, formatDay } = useI18n();
  if (groups.length === 0) return <EmptyState title={t("noCallsInPeriod")} />;
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const filled = [...new Set([...days, ...groups.map((g) => g.key)])].sort().map((key) => byKey.get(key) ?? { key, calls: 0, minutes: 0, chargeMicros: 0 });
  const data: VerticalBarChartDataPoint[] = filled.map((group) => ({
    // A date axis: the chart spaces its few labels itself, in the user's language (formatDay).
    x: new Date(`${group.key}T00:00:00Z`),
    y: group.chargeMicros / MICROS_PER_UNIT,
    legend: title,
    color: BAR_COLOR,
    xAxisCalloutData: formatDay(group.key),
    yAxisCalloutData: t("chartCallout", { amount: money(group.chargeMicros, currency), calls: group.calls, minutes: group.minutes }),
  }));
  // Room on the left for the widest amount on the axis ("12,00 $US" is wider than "$12.00").
  const widest = money(Math.max(...filled.map((g) => g.chargeMicros)) * 1.25, currency).length;
  return (
    <div data-testid="usage-chart" style={{ minWidth: 0, overflow: "hidden" }}>
      <VerticalBarChart
        data={data}
        height={280}
        margins={{ left: 28 + 7 * widest }}
        // Beyond two weeks the amounts above the bars run into each other: the axis and each bar's callout say them.
        hideLabels={filled.length > 14}
        hideLegend
        chartTitle={title}
        yAxisTitle={t("chargeAxis", { currency })}
        yAxisTickFormat={(v: number) => money(Math.round(v * MICROS_PER_UNIT), currency)}
        customDateTimeFormatter={(d) => formatDay(d.toISOString().slice(0, 10))}
        // One tick a day at most (left alone, the chart ticks every 12 hours and says each day twice), about 8 in all.
        tickValues={filled.filter((_, i) => i % Math.max(1, Math.ceil(filled.length / 8)) === 0).map((g) => new Date(`${g.key}T00:00:00Z`))}
      />
    </div>
  );
}
