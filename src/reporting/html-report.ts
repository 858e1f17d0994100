import { formatApproximation } from '../tools/approximations.js';
import { BUCKETS } from '../coverage/coverage.js';
import { SHAPE_IDS, SHAPES, type ShapeId } from '../expansion/shape-classes.js';
import { nightlyMapTable } from '../cardinality/nightly-map.js';
import type { NightlySummary, ThroughputSeries } from './nightly-summary.js';
import { hazardNote, isHazard } from './findings-catalogue.js';

/**
 * One self-contained HTML page for a nightly run: no external resource, plots
 * as inline SVG (throughput over the run, the cardinality coverage matrix as
 * a heat map, shapes reached, findings across nights), and each finding with
 * its minimal case, violation and replay command.
 */

const esc = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const COLORS = ['#2563eb', '#db2777', '#16a34a', '#ea580c', '#7c3aed', '#0891b2'];

function throughputChart(series: readonly ThroughputSeries[]): string {
  const width = 720;
  const height = 220;
  const pad = { left: 56, right: 16, top: 24, bottom: 36 };
  const rates = series.map((s) =>
    s.points.slice(1).map((p, i) => {
      const prev = s.points[i]!;
      const dt = (p.elapsedMs - prev.elapsedMs) / 1000;
      return { t: p.elapsedMs / 1000, rate: dt > 0 ? Math.max(0, (p.runs - prev.runs) / dt) : 0 };
    }),
  );
  const maxT = Math.max(1, ...rates.flat().map((r) => r.t));
  const maxRate = Math.max(1, ...rates.flat().map((r) => r.rate));
  const x = (t: number): number => pad.left + (t / maxT) * (width - pad.left - pad.right);
  const y = (r: number): number => height - pad.bottom - (r / maxRate) * (height - pad.top - pad.bottom);
  const lines = rates.map((points, i) =>
    points.length === 0 ? '' : `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2" points="${points.map((p) => `${x(p.t).toFixed(1)},${y(p.rate).toFixed(1)}`).join(' ')}"><title>${esc(series[i]!.label || 'run')}</title></polyline>`,
  );
  const ticks = [0, 0.5, 1].map((f) => `<text x="${pad.left - 6}" y="${y(maxRate * f) + 4}" text-anchor="end" class="axis">${fmt(maxRate * f)}</text><line x1="${pad.left}" x2="${width - pad.right}" y1="${y(maxRate * f)}" y2="${y(maxRate * f)}" class="grid"/>`);
  const legend = series.length > 1 ? series.map((s, i) => `<text x="${pad.left + 8 + i * 140}" y="${height - 4}" fill="${COLORS[i % COLORS.length]}" class="axis">${esc(s.label)}</text>`).join('') : '';
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="Cases per second over the run" class="chart">${ticks.join('')}${lines.join('')}<text x="${width - pad.right}" y="${height - pad.bottom + 28}" text-anchor="end" class="axis">${fmt(maxT)} s</text><text x="${pad.left}" y="${pad.top - 4}" class="axis">cases/s</text><text x="${pad.left}" y="${height - pad.bottom + 14}" class="axis">0 s</text>${legend}</svg>`;
}

function heatMap(summary: NightlySummary): string {
  const names = Object.keys(summary.coverage.cardinality).sort();
  if (names.length === 0) return '<p>No cardinality coverage recorded.</p>';
  const max = Math.max(1, ...names.flatMap((n) => BUCKETS.map((b) => summary.coverage.cardinality[n]![b])));
  const cell = 64;
  // 11px labels are about 6.2 units a character wide: size the label column to the longest.
  const label = Math.max(200, Math.ceil(Math.max(...names.map((n) => n.length)) * 6.2) + 12);
  const rowHeight = 20;
  const rows = names.map((name, r) => {
    const cells = BUCKETS.map((bucket, c) => {
      const count = summary.coverage.cardinality[name]![bucket];
      const reachable = (summary.reachable.cardinality[name]?.[bucket] ?? 0) > 0;
      const shade = count === 0 ? (reachable ? '#fecaca' : '#f3f4f6') : `rgba(37, 99, 235, ${(0.15 + 0.85 * Math.log10(count + 1) / Math.log10(max + 1)).toFixed(3)})`;
      const xPos = label + c * cell;
      const yPos = 24 + r * rowHeight;
      const status = count === 0 ? (reachable ? 'reachable, not reached' : 'not reachable by the model') : `${count} parents`;
      return `<rect x="${xPos}" y="${yPos}" width="${cell - 2}" height="${rowHeight - 2}" fill="${shade}"${count === 0 && reachable ? ' stroke="#dc2626"' : ''}><title>${esc(`${name} [${bucket}]: ${status}`)}</title></rect><text x="${xPos + cell / 2 - 1}" y="${yPos + 13}" text-anchor="middle" class="cell">${count === 0 ? (reachable ? '!' : '·') : fmt(count)}</text>`;
    });
    return `<text x="${label - 8}" y="${24 + r * rowHeight + 13}" text-anchor="end" class="axis">${esc(name)}</text>${cells.join('')}`;
  });
  const header = BUCKETS.map((b, c) => `<text x="${label + c * cell + cell / 2 - 1}" y="16" text-anchor="middle" class="axis">${b}</text>`).join('');
  const height = 30 + names.length * rowHeight;
  return `<svg viewBox="0 0 ${label + BUCKETS.length * cell + 8} ${height}" role="img" aria-label="Cardinality coverage matrix" class="chart heat">${header}${rows.join('')}</svg>`;
}

function shapesChart(summary: NightlySummary): string {
  const width = 720;
  const barHeight = 14;
  const label = 48;
  const max = Math.max(1, ...SHAPE_IDS.map((s) => summary.coverage.shapes[s] ?? 0));
  const rows = SHAPE_IDS.map((shape: ShapeId, i) => {
    const n = summary.coverage.shapes[shape] ?? 0;
    const reachable = (summary.reachable.shapes[shape] ?? 0) > 0;
    const w = (n / max) * (width - label - 90);
    return `<text x="${label - 6}" y="${i * (barHeight + 3) + 11}" text-anchor="end" class="axis">${shape}</text><rect x="${label}" y="${i * (barHeight + 3)}" width="${Math.max(n > 0 ? 1 : 0, w).toFixed(1)}" height="${barHeight}" fill="${n === 0 && reachable ? '#dc2626' : '#0891b2'}"><title>${esc(`${shape}: ${SHAPES[shape]} — ${n} cases`)}</title></rect><text x="${label + w + 4}" y="${i * (barHeight + 3) + 11}" class="axis">${fmt(n)}</text>`;
  });
  return `<svg viewBox="0 0 ${width} ${SHAPE_IDS.length * (barHeight + 3)}" role="img" aria-label="Request shapes generated" class="chart">${rows.join('')}</svg>`;
}

/** Collection types, nesting depths and batch sizes generated, with counts. */
function generatedTable(summary: NightlySummary): string {
  const row = (what: string, counts: Readonly<Record<string, number>>): string => {
    const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
    return `<tr><th>${esc(what)}</th><td>${entries.length === 0 ? '—' : entries.map(([k, n]) => `<code>${esc(k)}</code>&nbsp;${fmt(n)}`).join(', ')}</td></tr>`;
  };
  const c = summary.coverage;
  return `<table class="generated">${row('collection types', c.collectionTypes)}${row('nesting depths', c.nestingDepths)}${row('Batch sizes', c.batchSizes)}</table>`;
}

function nightsChart(summary: NightlySummary): string {
  const nights = summary.nights;
  if (nights.length === 0) return '<p>No earlier night recorded.</p>';
  const width = 720;
  const height = 180;
  const bottom = 150;
  const max = Math.max(1, ...nights.map((n) => n.new + n.stillFailing + n.fixed));
  const barWidth = Math.min(48, (width - 40) / nights.length - 8);
  const bars = nights.map((n, i) => {
    const x = 30 + i * (barWidth + 8);
    let y = bottom;
    const parts = (
      [
        ['new', n.new, '#dc2626'],
        ['still failing', n.stillFailing, '#ea580c'],
        ['fixed', n.fixed, '#16a34a'],
      ] as const
    ).map(([what, count, color]) => {
      const h = (count / max) * (bottom - 10);
      y -= h;
      return count === 0 ? '' : `<rect x="${x}" y="${y.toFixed(1)}" width="${barWidth}" height="${h.toFixed(1)}" fill="${color}"><title>${esc(`${n.runId}: ${count} ${what}`)}</title></rect>`;
    });
    return `${parts.join('')}<text x="${x + barWidth / 2}" y="${bottom + 14}" text-anchor="middle" class="axis">${esc(n.at.slice(5, 10))}</text>`;
  });
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="Findings across nights" class="chart">${bars.join('')}</svg>`;
}

export function nightlyHtml(summary: NightlySummary): string {
  const count = (status: string): number => summary.findings.filter((f) => f.status === status).length;
  const findings = summary.findings.map(
    (f) => `<article class="finding ${f.status}" data-status="${f.status}">
  <h3><span class="badge ${f.status}">${f.status === 'still-failing' ? 'still failing' : f.status}${f.reappeared ? ' (again)' : ''}</span> ${esc(f.property)} <small>${esc(f.fingerprint)} · ${esc(f.shapeClass)} · first seen ${esc(f.firstSeen.slice(0, 10))}</small></h3>
  <p class="violation">${esc(f.violation.kind)}${f.violation.table ? ` on ${esc(f.violation.table)}` : ''}${f.violation.constraint ? ` (${esc(f.violation.constraint)})` : ''}: ${esc(f.violation.message)}</p>${isHazard(f.property) ? `\n  <p class="hazard">${esc(hazardNote(f))}</p>` : ''}
  <p>Replay: <code class="replay">${esc(f.replay)}</code> <button type="button" class="copy">copy</button>${f.regressionFile ? ` · saved as <code>${esc(f.regressionFile)}</code>` : ''}</p>
  <details><summary>minimal case</summary><pre>${esc(JSON.stringify(f.case, null, 2))}</pre></details>
</article>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cardfuzz nightly ${esc(summary.runId)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 960px; color: #111827; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #e5e7eb; }
.chart { width: 100%; height: auto; } .heat { max-width: 1000px; }
.axis { font-size: 11px; fill: #374151; } .cell { font-size: 10px; fill: #111827; } .grid { stroke: #e5e7eb; }
.stats { display: flex; gap: 1rem; flex-wrap: wrap; } .stat { background: #f9fafb; border: 1px solid #e5e7eb; padding: .5rem 1rem; border-radius: 6px; }
.stat b { display: block; font-size: 1.3rem; }
.badge { font-size: .75rem; padding: .1rem .4rem; border-radius: 4px; color: white; text-transform: uppercase; }
.badge.new { background: #dc2626; } .badge.still-failing { background: #ea580c; } .badge.fixed { background: #16a34a; }
.finding { border: 1px solid #e5e7eb; border-radius: 6px; padding: .5rem 1rem; margin: .75rem 0; }
pre { background: #f3f4f6; padding: .5rem; overflow: auto; font-size: 12px; } code { font-size: 12px; }
.filters button { margin-right: .5rem; } .hidden { display: none; }
.cardinality-map { border-collapse: collapse; font-size: 12px; } .cardinality-map td, .cardinality-map th { border-bottom: 1px solid #e5e7eb; padding: .2rem .5rem; text-align: left; vertical-align: top; } .map-conflict td:first-child { color: #dc2626; font-weight: bold; }
.generated th { text-align: left; padding-right: 1rem; vertical-align: top; white-space: nowrap; }
</style>
</head>
<body>
<h1>cardfuzz nightly <code>${esc(summary.runId)}</code></h1>
<p>Profile <code>${esc(summary.profile)}</code>, seed ${summary.seed}${summary.shards.length > 0 ? `, shards ${esc(summary.shards.join(', '))}` : ''}, ${summary.workers} worker${summary.workers === 1 ? '' : 's'}, ${esc(summary.budget)}, ${esc(summary.startedAt)} to ${esc(summary.finishedAt)}.${summary.interrupted ? ' <strong>Stopped early</strong>: this report covers what was done.' : ''}</p>
<div class="stats">
<div class="stat"><b>${fmt(summary.runs)}</b>cases</div>
<div class="stat"><b>${fmt(summary.casesPerSecond)}</b>cases/s</div>
<div class="stat"><b id="count-new">${count('new')}</b>new</div>
<div class="stat"><b>${count('still-failing')}</b>still failing</div>
<div class="stat"><b>${count('fixed')}</b>fixed</div>
<div class="stat"><b>${(100 * summary.reachedShare).toFixed(1)}%</b>reachable coverage</div>
</div>
<h2>Findings</h2>
<div class="filters"><button type="button" data-filter="all">all</button><button type="button" data-filter="new">new</button><button type="button" data-filter="still-failing">still failing</button><button type="button" data-filter="fixed">fixed</button></div>
${findings.join('\n') || '<p>No finding.</p>'}
<h2>Throughput over the run</h2>
${throughputChart(summary.throughput)}
<h2>Cardinality coverage</h2>
<p>Rows: every foreign key of the schema among the tables cardfuzz writes; columns: how many child rows a parent had. Red: reachable by the model (in a baseline sample) but not reached tonight.</p>
${heatMap(summary)}
${summary.cardinalityMap ? `<h2>Cardinality map</h2>\n<p>Per foreign key: 1:1 so far, loose (with the witness that gives one parent two children, linked to its regression case) or a conflict with what is declared.</p>\n${nightlyMapTable(summary.cardinalityMap)}` : ''}
<h2>Request shapes</h2>
${shapesChart(summary)}
${generatedTable(summary)}
<h2>Findings across nights</h2>
${nightsChart(summary)}
${(summary.approximations ?? []).length > 0 ? `<h2>Approximations</h2><ul>${summary.approximations!.map((a) => `<li>${esc(formatApproximation(a))}</li>`).join('')}</ul>` : ''}
${summary.errors.length > 0 ? `<h2>Errors</h2><ul>${summary.errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : ''}
<script>
document.querySelectorAll('.filters button').forEach(function (button) {
  button.addEventListener('click', function () {
    var wanted = button.getAttribute('data-filter');
    document.querySelectorAll('.finding').forEach(function (f) {
      f.classList.toggle('hidden', wanted !== 'all' && f.getAttribute('data-status') !== wanted);
    });
  });
});
document.querySelectorAll('button.copy').forEach(function (button) {
  button.addEventListener('click', function () {
    var text = button.parentElement.querySelector('.replay').textContent;
    if (navigator.clipboard) navigator.clipboard.writeText(text).catch(function () {});
  });
});
document.body.setAttribute('data-rendered', String(document.querySelectorAll('svg.chart').length));
</script>
</body>
</html>
`;
}
