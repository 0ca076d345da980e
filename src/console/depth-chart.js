// The book's depth chart: contracts bid and asked, each side added up from its best
// price outwards, drawn as steps over price by uPlot (MIT), which takes any numeric x
// axis where lightweight-charts takes only time.

import uPlot from "./uPlot.esm.js";

/** A chart in `element`; `show(bids, asks)` redraws it from the book's [price, qty] levels. */
export function depthChart(element) {
  const width = () => Math.max(160, element.clientWidth);
  const plot = new uPlot(
    {
      width: width(),
      height: 140,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false } },
      axes: [
        { stroke: "#9aa4ae", grid: { stroke: "#1c222a" }, size: 30 },
        { stroke: "#9aa4ae", grid: { stroke: "#1c222a" }, size: 40 },
      ],
      series: [
        {},
        {
          label: "bids",
          stroke: "#46b37c",
          fill: "rgba(70,179,124,0.25)",
          paths: uPlot.paths.stepped({ align: -1 }),
        },
        {
          label: "asks",
          stroke: "#e5534b",
          fill: "rgba(229,83,75,0.25)",
          paths: uPlot.paths.stepped({ align: 1 }),
        },
      ],
    },
    [[], [], []],
    element,
  );
  new ResizeObserver(() => plot.setSize({ width: width(), height: 140 })).observe(element);
  return {
    show(bids, asks) {
      const points = new Map();
      let total = 0;
      for (const [p, q] of bids) {
        total += Number(q);
        points.set(Number(p), [total, null]);
      }
      total = 0;
      for (const [p, q] of asks) {
        total += Number(q);
        points.set(Number(p), [points.get(Number(p))?.[0] ?? null, total]);
      }
      const xs = [...points.keys()].sort((a, b) => a - b);
      plot.setData([xs, xs.map((x) => points.get(x)[0]), xs.map((x) => points.get(x)[1])]);
      element.dataset.levels = String(bids.length + asks.length);
    },
  };
}
