import type { ExpansionSuccess, ParamValue } from '../expansion/expansion.js';
import type { OutputFilter, Tool, ToolOutput } from '../model/tool.js';

/**
 * Galaxy's `filter_output`: an output is dropped when its filter evaluates to
 * false on the example parameters (the first combination, or the request's
 * template when there is none). A filter that cannot be evaluated — its
 * parameter is not in the request, e.g. inside an inactive conditional branch —
 * raises in Galaxy, and the output is kept.
 */
export function activeOutputs(tool: Tool, expansion: ExpansionSuccess): ToolOutput[] {
  if (!tool.outputs.some((o) => o.filter !== undefined)) return [...tool.outputs];
  const example: readonly (ParamValue | null)[] = expansion.combinations[0] ?? expansion.template;
  return tool.outputs.filter((output) => output.filter === undefined || filterKeeps(output.filter, expansion, example));
}

function filterKeeps(filter: OutputFilter, expansion: ExpansionSuccess, example: readonly (ParamValue | null)[]): boolean {
  const index = expansion.params.findIndex((p) => p.key === filter.param);
  if (index < 0) return true;
  const value = example[index];
  // A batched parameter's template is the Batch itself, which equals no scalar.
  const same = value?.kind === 'scalar' && String(value.value) === String(filter.equals ?? filter.not_equals);
  return filter.equals !== undefined ? same : !same;
}
