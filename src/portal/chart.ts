// The history trend chart as plain SVG geometry, computed once so the page
// only draws it (no script, prints, works without JavaScript).

export interface ChartSeries {
  name: string;
  label: string;
  /** SVG polyline points, "x,y x,y"; gaps (n/a scores) split a series into several lines. */
  lines: string[];
  /** Every point with a score, drawn as a dot. */
  dots: { x: number; y: number }[];
  last: number | null;
}

export interface Chart {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  series: ChartSeries[];
  xTicks: { x: number; label: string; anchor: 'start' | 'middle' | 'end' }[];
  yTicks: { y: number; label: string }[];
}

export interface ChartInput {
  /** ISO dates, ascending. */
  dates: string[];
  series: { name: string; label: string; values: (number | null)[] }[];
}

const round = (n: number) => Math.round(n * 10) / 10;

export function lineChart(input: ChartInput, width = 720, height = 260): Chart {
  const plot = { left: 60, top: 12, right: width - 16, bottom: height - 36 };
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
      dots: runs.flat(),
      last,
    };
  });
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((v) => ({ y: y(v), label: `${Math.round(v * 100)} %` }));
  // Date labels: the first and the last, and evenly picked ones between that keep clear of their neighbours.
  const gap = 150;
  const last = input.dates.length - 1;
  const kept = [0];
  for (let k = 1; k < 5 && last > 0; k++) {
    const i = Math.round((k * last) / 5);
    if (x(i) - x(kept[kept.length - 1]) >= gap && x(last) - x(i) >= gap) kept.push(i);
  }
  if (last > 0 && x(last) - x(kept[kept.length - 1]) >= gap) kept.push(last);
  const xTicks = kept.map((i, k) => ({
    x: x(i),
    label: input.dates[i].slice(0, 10),
    anchor: (kept.length === 1 ? 'middle' : k === 0 ? 'start' : k === kept.length - 1 && i === last ? 'end' : 'middle') as 'start' | 'middle' | 'end',
  }));
  return { width, height, plot, series, xTicks, yTicks };
}
