// The overview's chart of a contest per day, drawn with uPlot. Imported only
// with import() by pages/overview.tsx, so uPlot is its own chunk and never in
// the dashboard's initial download. uPlot's few style rules are in app.css
// ("overview chart"): a lazy chunk's own CSS file would be linked by nobody.
import uPlot from "uplot";
import type { ChartData, SeriesColours } from "./overview-series";

const HEIGHT = 260;

/** A day `YYYY-MM-DD` as uPlot's x value: seconds since the epoch, its UTC midnight. */
function seconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

/** Draws `data` into `container` in `colours` (the page's legend's), as wide
 * as the container and following its width; `destroy()` removes it. */
export function drawChart(container: HTMLElement, data: ChartData, colours: SeriesColours): { destroy(): void } {
  const width = () => Math.max(200, container.clientWidth);
  const axis = { stroke: "#374151", grid: { stroke: "#e5e7eb" }, ticks: { stroke: "#d1d5db" } };
  const options: uPlot.Options = {
    width: width(),
    height: HEIGHT,
    // The page shows its own legend (text, not uPlot's table) and the data table.
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    // The days are UTC days: label them as such, whatever the browser's zone.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    // Both y scales start at 0, and an empty range still has a height.
    scales: {
      x: { time: true },
      count: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      money: { range: (_u, _min, max) => [0, Math.max(1, max)] },
    },
    series: [
      {},
      { label: "Visits", scale: "count", stroke: colours.visits, width: 2 },
      { label: "Signups", scale: "count", stroke: colours.signups, width: 2 },
      { label: "Purchases", scale: "count", stroke: colours.purchases, width: 2 },
      { label: `Revenue (${data.currency})`, scale: "money", stroke: colours.revenue, width: 2, dash: [6, 4] },
    ],
    axes: [
      { ...axis },
      // Counts are whole: no 0.5 ticks.
      { ...axis, scale: "count", size: 44, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 100_000, 1_000_000] },
      { ...axis, scale: "money", side: 1, size: 56, grid: { show: false } },
    ],
  };
  const aligned: uPlot.AlignedData = [data.days.map(seconds), data.visits, data.signups, data.purchases, data.revenue];
  const plot = new uPlot(options, aligned, container);
  // Follows the container's width (a phone turned, a window resized).
  const observer = new ResizeObserver(() => {
    if (Math.abs(plot.width - width()) >= 1) plot.setSize({ width: width(), height: HEIGHT });
  });
  observer.observe(container);
  return {
    destroy() {
      observer.disconnect();
      plot.destroy();
    },
  };
}
