// The overview's numbers as plain functions (no uPlot here: the page imports
// this statically, the chart module lazily): the days of a range, the series
// the chart and its data table share, the funnel's rates.
import type { Schema } from "./api";

type TimeseriesDay = Schema<"TimeseriesDay">;

/** What the chart draws, one value per UTC day; the data table shows the
 * same arrays. */
export interface ChartData {
  /** `YYYY-MM-DD`, ascending. */
  days: string[];
  visits: number[];
  signups: number[];
  purchases: number[];
  /** In `currency`, major units. */
  revenue: number[];
  currency: string;
}

/** The colour of each series, for the chart and the page's legend (each at
 * least 4.5:1 on white). */
export const SERIES_COLOURS = {
  visits: "#1d4ed8",
  signups: "#047857",
  purchases: "#b45309",
  revenue: "#7e22ce",
} as const;
export type SeriesColours = Record<keyof typeof SERIES_COLOURS, string>;

/** The API's limit of a timeseries. */
export const MAX_DAYS = 366;

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's UTC date, `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The date `n` days before `day` (both `YYYY-MM-DD`, UTC). */
export function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);
}

/** How many days from `from` to `to`, both included (0 or less when from > to). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Why a custom range cannot be asked for, or null when it can. */
export function rangeProblem(from: string, to: string): string | null {
  if (!DATE.test(from) || !DATE.test(to) || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) {
    return "Enter both dates, the first and the last day.";
  }
  if (from > to) return "The first day must not be after the last day.";
  const n = daysBetween(from, to);
  if (n > MAX_DAYS) return `A range can cover at most ${MAX_DAYS} days; this one covers ${n}.`;
  return null;
}

/** The currency charted: the one with the largest revenue in the days, else
 * the largest overall, else `fallback` (the contest's points currency). */
export function mainCurrency(days: TimeseriesDay[], overall: Record<string, number>, fallback: string): string {
  const totals: Record<string, number> = {};
  for (const d of days) for (const [c, amount] of Object.entries(d.revenue)) totals[c] = (totals[c] ?? 0) + amount;
  const largest = (t: Record<string, number>) =>
    Object.entries(t)
      .filter(([, amount]) => amount > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  return largest(totals) ?? largest(overall) ?? fallback;
}

/** The series of the chart and of its data table, from the API's days. */
export function chartData(days: TimeseriesDay[], currency: string): ChartData {
  return {
    days: days.map((d) => d.day),
    visits: days.map((d) => d.visits),
    signups: days.map((d) => d.signups),
    purchases: days.map((d) => d.purchases),
    revenue: days.map((d) => d.revenue[currency] ?? 0),
    currency,
  };
}

/** `part` as a percentage of `whole` with one decimal ("41.7%"), "–" when whole is 0. */
export function rate(part: number, whole: number): string {
  return whole === 0 ? "–" : `${((part / whole) * 100).toFixed(1)}%`;
}
