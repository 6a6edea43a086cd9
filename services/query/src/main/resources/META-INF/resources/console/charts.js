// Charts through uPlot (a maintained charting library from a WebJar, loaded by index.html). Every chart also has
// its numbers as a table (details below it), and series differ by dash as well as colour.
import {h, table, num} from './dom.js';

const COLOURS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2'];
const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];

function width(el) {
  return Math.max(320, Math.min(720, (el && el.clientWidth) || 560));
}

/** A time-series chart: xs in epoch seconds, series [{label, values, format}]. */
export function timeChart(title, xs, series, holder, bounds) {
  const box = h('figure', {class: 'chart'}, h('figcaption', {}, title));
  const plot = h('div', {class: 'plot', role: 'img', 'aria-label': title + ' (the table below has the numbers)'});
  box.appendChild(plot);
  if (xs.length === 0) {
    plot.appendChild(h('p', {class: 'empty'}, 'No data in this range.'));
  } else if (window.uPlot) {
    const opts = {
      width: width(holder), height: 200,
      series: [{label: 'time'}].concat(series.map((s, i) => ({
        label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2, dash: DASHES[i % DASHES.length],
        points: {show: xs.length < 60}, value: (u, v) => v == null ? '—' : (s.format || num)(v),
      }))),
      axes: [{}, {size: 60}],
      scales: {x: bounds ? {time: true, range: () => bounds} : {time: true}},
    };
    new window.uPlot(opts, [xs].concat(series.map(s => s.values)), plot);
  }
  box.appendChild(h('details', {}, h('summary', {}, 'Table'),
    table([{label: 'time', value: r => new Date(r.x * 1000).toISOString()}].concat(series.map(s => (
      {label: s.label, num: true, value: r => r[s.label] == null ? '—' : (s.format || num)(r[s.label])}))),
    xs.map((x, i) => Object.fromEntries([['x', x]].concat(series.map(s => [s.label, s.values[i]])))))));
  return box;
}

/** A bar chart over categories (e.g. cost per model). */
export function barChart(title, labels, values, format, holder) {
  const box = h('figure', {class: 'chart'}, h('figcaption', {}, title));
  const plot = h('div', {class: 'plot', role: 'img', 'aria-label': title + ' (the table below has the numbers)'});
  box.appendChild(plot);
  if (labels.length === 0) {
    plot.appendChild(h('p', {class: 'empty'}, 'No data in this range.'));
  } else if (window.uPlot) {
    const xs = labels.map((_, i) => i);
    const opts = {
      width: width(holder), height: 200,
      scales: {x: {time: false, range: [-0.6, labels.length - 0.4]}},
      series: [{label: 'model', value: (u, v) => v == null ? '' : labels[v]},
        {label: title, fill: COLOURS[0] + 'aa', stroke: COLOURS[0], paths: window.uPlot.paths.bars({size: [0.6, 80]}),
          points: {show: false}, value: (u, v) => v == null ? '—' : format(v)}],
      axes: [{splits: () => xs, values: (u, splits) => splits.map(i => labels[i] ?? ''), rotate: 0},
        {size: 70, values: (u, vals) => vals.map(format)}],
    };
    new window.uPlot(opts, [xs, values], plot);
  }
  box.appendChild(h('details', {}, h('summary', {}, 'Table'),
    table([{label: 'model', value: r => r.l}, {label: title, num: true, value: r => format(r.v)}],
      labels.map((l, i) => ({l, v: values[i]})))));
  return box;
}
