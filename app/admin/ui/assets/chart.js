// A line chart drawn as inline SVG: one line per series over the days of the range.
const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** "Nice" upper bound for the y axis: 1, 2 or 5 times a power of ten. */
function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

/**
 * lines: [{ label, color, values: number[] }] over `days` (YYYY-MM-DD); `formatY` labels the
 * y axis; `minMax` is the least top of the axis (money: one major unit, so ticks stay distinct). Returns a figure: the SVG (an image labelled with `title`) and its legend.
 */
export function lineChart({ title, days, lines, formatY, minMax = 1 }) {
  const width = 720;
  const height = 240;
  const pad = { top: 12, right: 12, bottom: 28, left: 72 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const max = niceMax(Math.max(minMax, ...lines.flatMap((l) => l.values)));
  const x = (i) => pad.left + (days.length <= 1 ? innerW / 2 : (i * innerW) / (days.length - 1));
  const y = (v) => pad.top + innerH - (v / max) * innerH;

  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title });
  for (let t = 0; t <= 4; t++) {
    const value = (max * t) / 4;
    svg.append(s('line', { x1: pad.left, x2: width - pad.right, y1: y(value), y2: y(value), class: 'sw-axis' }));
    svg.append(s('text', { x: pad.left - 8, y: y(value) + 4, 'text-anchor': 'end' }, formatY(value)));
  }
  const ticks = Math.min(days.length, 6);
  for (let t = 0; t < ticks; t++) {
    const i = ticks === 1 ? 0 : Math.round((t * (days.length - 1)) / (ticks - 1));
    svg.append(s('text', { x: x(i), y: height - 8, 'text-anchor': 'middle' }, days[i].slice(5)));
  }
  for (const line of lines) {
    const points = line.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    svg.append(s('polyline', { points, fill: 'none', stroke: line.color, 'stroke-width': 2, 'stroke-linejoin': 'round', 'data-series': line.label }));
  }
  const figure = document.createElement('figure');
  figure.className = 'sw-chart';
  figure.style.margin = '0';
  figure.append(svg);
  const legend = document.createElement('figcaption');
  legend.className = 'sw-legend';
  for (const line of lines) {
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.style.background = line.color;
    item.append(swatch, line.label);
    legend.append(item);
  }
  figure.append(legend);
  return figure;
}
