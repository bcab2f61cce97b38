// Charts of the console, drawn with uPlot (a WebJar served by the node, global `uPlot`). Each
// chart sits in a <figure> whose caption and aria-label say what it shows; the numbers are also
// in a table beside it for anyone who cannot see the canvas.

const PALETTE = ['#0b5cad', '#b3261e', '#1a6b36', '#8a4b00', '#5b3a9b', '#00677f'];
const WINDOW_POINTS = 150;

function widthOf(container) {
  return Math.max(260, Math.min(container.clientWidth || 600, 900));
}

/** Records on the container how many values the chart draws (NaN draws nothing), for the tests. */
function countPoints(container, series) {
  container.dataset.points = series.flat().filter(Number.isFinite).length;
}

/** A line chart that scrolls: push(time in seconds, [value per series]). */
export function liveChart(container, seriesNames, yLabel) {
  const data = [[], ...seriesNames.map(() => [])];
  const chart = new uPlot(
    {
      width: widthOf(container),
      height: 220,
      series: [
        {},
        ...seriesNames.map((label, i) => ({ label, stroke: PALETTE[i % PALETTE.length], width: 2 })),
      ],
      axes: [{}, { label: yLabel, size: 60 }],
      scales: { y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    },
    data,
    container,
  );
  window.addEventListener('resize', () => chart.setSize({ width: widthOf(container), height: 220 }));
  return {
    push(time, values) {
      data[0].push(time);
      values.forEach((value, i) => data[i + 1].push(value));
      if (data[0].length > WINDOW_POINTS) data.forEach((column) => column.shift());
      chart.setData(data);
      countPoints(container, data.slice(1));
    },
  };
}

/** A bar chart of labelled values: show(labels, values) replaces them. */
export function barChart(container, seriesName, yLabel) {
  let labels = [];
  const chart = new uPlot(
    {
      width: widthOf(container),
      height: 240,
      scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      series: [
        {},
        {
          label: seriesName,
          fill: PALETTE[0] + 'cc',
          stroke: PALETTE[0],
          paths: uPlot.paths.bars({ size: [0.6, 60] }),
          points: { show: false },
        },
      ],
      axes: [
        {
          values: (u, splits) => splits.map((i) => shorten(labels[i] ?? '')),
          splits: () => labels.map((_, i) => i),
          rotate: -30,
          size: 70,
        },
        { label: yLabel, size: 60 },
      ],
    },
    [[], []],
    container,
  );
  window.addEventListener('resize', () => chart.setSize({ width: widthOf(container), height: 240 }));
  return {
    show(newLabels, values) {
      labels = newLabels;
      chart.setData([newLabels.map((_, i) => i), values]);
      countPoints(container, [values]);
    },
  };
}

function shorten(text) {
  return text.length > 14 ? text.slice(0, 13) + '…' : text;
}
