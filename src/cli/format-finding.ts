import type { Case, ToolCase } from '../model/case.js';
import { describeWorkflowSteps, requestBody, requestEndpoint } from '../model/request-body.js';
import { findingLink } from '../reporting/findings-catalogue.js';

export { requestBody };
import type { Finding } from '../runner/finding.js';

function describeInputs(c: ToolCase): string {
  const names = (inputs: ToolCase['tool']['inputs']): string[] =>
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
    ...(hazard === undefined ? [] : [`  a defect in upstream Galaxy code that this branch does not introduce: ${hazard}`, `  the finding, with its Galaxy test: ${findingLink(f)}`]),
    `  profile ${f.profile}, seed ${f.seed}, path ${f.path || '-'}, ${f.shrinks} shrinks from a ${f.firstShapeClass} case`,
    `  violation: ${v.kind}${where ? ` on ${where}` : ''}${v.constraint ? `, ${v.constraint}` : ''}`,
    `    ${v.message}`,
    `  entry: ${f.case.entry}${f.case.entry === 'workflow-step' && f.case.step ? ` ${JSON.stringify(f.case.step)}` : ''}`,
    `  request body (${requestEndpoint(f.case)}): ${JSON.stringify(requestBody(f.case))}`,
    f.case.entry === 'workflow-invocation' ? `  workflow: ${describeWorkflowSteps(f.case)}${f.case.scheduling ? `; scheduling ${JSON.stringify(f.case.scheduling)}` : ''}` : `  tool ${f.case.tool.id}: ${describeInputs(f.case)}`,
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
