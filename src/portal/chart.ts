// The history trend chart as plain SVG geometry, computed once so the page
// only draws it (no script, prints, works without JavaScript).

export interface ChartSeries {
  name: string;
  label: string;
  /** SVG polyline points, "x,y x,y"; gaps (n/a scores) split a series into several lines. */
  lines: string[];
  /** Points that stand alone (a score between two gaps), drawn as dots. */
  dots: { x: number; y: number }[];
  last: number | null;
}

export interface Chart {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  series: ChartSeries[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
}

export interface ChartInput {
  /** ISO dates, ascending. */
  dates: string[];
  series: { name: string; label: string; values: (number | null)[] }[];
}

const round = (n: number) => Math.round(n * 10) / 10;

export function lineChart(input: ChartInput, width = 720, height = 260): Chart {
  const plot = { left: 48, top: 12, right: width - 16, bottom: height - 36 };
  const times = input.dates.map((d) => Date.parse(d));
  const min = Math.min(...times);
  const max = Math.max(...times);
  const span = max - min || 1;
  const x = (i: number) => round(times.length === 1 ? (plot.left + plot.right) / 2 : plot.left + ((times[i] - min) / span) * (plot.right - plot.left));
  const y = (v: number) => round(plot.bottom - v * (plot.bottom - plot.top));
  const series: ChartSeries[] = input.series.map((s) => {
    const runs: { x: number; y: number }[][] = [];
    let run: { x: number; y: number }[] = [];
    s.values.forEach((v, i) => {
      if (v === null) {
        if (run.length) runs.push(run);
        run = [];
      } else run.push({ x: x(i), y: y(v) });
    });
    if (run.length) runs.push(run);
    const last = [...s.values].reverse().find((v) => v !== null) ?? null;
    return {
      name: s.name,
      label: s.label,
      lines: runs.filter((r) => r.length > 1).map((r) => r.map((p) => `${p.x},${p.y}`).join(' ')),
      dots: runs.filter((r) => r.length === 1).map((r) => r[0]),
      last,
    };
  });
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((v) => ({ y: y(v), label: `${Math.round(v * 100)} %` }));
  // At most six date labels, evenly picked, always the first and the last.
  const count = Math.min(6, input.dates.length);
  const picks = count <= 1 ? [0] : Array.from({ length: count }, (_, k) => Math.round((k * (input.dates.length - 1)) / (count - 1)));
  const xTicks = [...new Set(picks)].map((i) => ({ x: x(i), label: input.dates[i].slice(0, 10) }));
  return { width, height, plot, series, xTicks, yTicks };
}
