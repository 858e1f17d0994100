import type { Case } from '../model/case.js';
import type { Finding } from '../runner/finding.js';

/** The body a developer pastes into `POST /api/jobs` (legacy: `POST /api/tools`) to reproduce the case. */
export function requestBody(c: Case): Record<string, unknown> {
  if (c.entry === 'legacy') return { tool_id: c.tool.id, history_id: 'HISTORY_ID', inputs: c.request };
  return {
    tool_id: c.tool.id,
    history_id: 'HISTORY_ID',
    inputs: c.request,
    ...(c.rerun_remap_job_id === undefined ? {} : { rerun_remap_job_id: c.rerun_remap_job_id }),
  };
}

function describeInputs(c: Case): string {
  const names = (inputs: Case['tool']['inputs']): string[] =>
    inputs.map((i) => {
      if (i.type === 'section' || i.type === 'repeat') return `${i.name} (${i.type}: ${names(i.inputs).join(', ')})`;
      if (i.type === 'conditional') return `${i.name} (conditional on ${i.test_param.name})`;
      if (i.type === 'data_collection') return `${i.name} (data_collection ${i.collection_type ?? 'of any type'})`;
      if (i.type === 'data') return `${i.name} (data${i.multiple ? ', multiple' : ''}${i.optional ? ', optional' : ''})`;
      return `${i.name} (${i.type})`;
    });
  const outputs = c.tool.outputs.map((o) => (o.type === 'data' ? o.name : `${o.name} (${o.collection_type})`));
  return `${names(c.tool.inputs).join(', ') || 'no inputs'} -> ${outputs.join(', ') || 'no outputs'}`;
}

function describeHistory(c: Case): string {
  const datasets = c.history.datasets.map((d) => d.id).join(', ');
  const collections = c.history.collections.map((x) => `${x.id} (${x.collection_type}, ${x.elements.length} elements)`).join(', ');
  return `${c.history.datasets.length} datasets${datasets ? ` [${datasets}]` : ''}, ${c.history.collections.length} collections${collections ? ` [${collections}]` : ''}`;
}

/** A finding as printed by run and gate; a hazard property's finding says so on its first lines. */
export function formatFinding(f: Finding, hazard?: string): string {
  const v = f.violation;
  const where = [v.table, v.columns.length > 0 ? `(${v.columns.join(', ')})` : null].filter(Boolean).join(' ');
  const lines = [
    `FAIL ${f.property}${hazard === undefined ? '' : ' (hazard)'}  [fingerprint ${f.fingerprint}, shape ${f.shapeClass}]`,
    ...(hazard === undefined ? [] : [`  hazard of upstream Galaxy code, not of this profile: ${hazard}`]),
    `  profile ${f.profile}, seed ${f.seed}, path ${f.path || '-'}, ${f.shrinks} shrinks from a ${f.firstShapeClass} case`,
    `  violation: ${v.kind}${where ? ` on ${where}` : ''}${v.constraint ? `, ${v.constraint}` : ''}`,
    `    ${v.message}`,
    `  entry: ${f.case.entry}${f.case.entry === 'workflow-step' && f.case.step ? ` ${JSON.stringify(f.case.step)}` : ''}`,
    `  request body (${f.case.entry === 'legacy' ? 'POST /api/tools' : f.case.entry === 'tool-request' ? 'POST /api/jobs' : 'workflow step inputs'}): ${JSON.stringify(requestBody(f.case))}`,
    `  tool ${f.case.tool.id}: ${describeInputs(f.case)}`,
    `  history: ${describeHistory(f.case)}`,
  ];
  if (f.history !== undefined) lines.push(`  history of ${f.history.length} executions written before the upgrade: ${f.history.map((c) => JSON.stringify(requestBody(c).inputs)).join(' ; ')}`);
  if (f.rows !== undefined) {
    const written = Object.entries(f.rows).filter(([, n]) => n > 0);
    lines.push(`  rows written: ${written.map(([t, n]) => `${t} ${n}`).join(', ') || 'none'}`);
  }
  lines.push(`  replay: ${f.replay}`);
  return lines.join('\n');
}
