import type { ExpansionSuccess, ParamValue } from '../expansion/expansion.js';
import type { CollectionOutput } from '../model/tool.js';

/**
 * The collection type of a tool's collection output for one job (Galaxy's
 * tool_util/parser/output_objects.py `ToolOutputCollectionStructure` and
 * tools/actions/__init__.py `OutputCollections.create_collection`):
 *
 * - `collection_type` (XML `type`) when the tool fixes it;
 * - `structured_like="input"`: the type (and the elements) of that input's value
 *   for this job — the subcollection when the job maps over a collection;
 * - `type_source="input"`: that input's collection type, elements discovered later.
 *
 * `format_source`, `inherit_format` and `metadata_source` set formats and
 * metadata only: they change no row count. Static `<data>` elements are
 * known before the job runs (Galaxy creates their datasets with the job);
 * `discover_datasets` elements are found after it, so at execution Galaxy
 * creates that collection empty and unpopulated. cardfuzz writes the output
 * collection row of either kind without element rows: neither changes how
 * many jobs or collections there are.
 *
 * `combination` is the job's parameter combination, or null when none exists
 * (a map-over of an empty collection): then the mapped input's subcollection
 * type stands in, and `list` when nothing is known.
 */
export function outputCollectionType(output: CollectionOutput, expansion: ExpansionSuccess, combination: readonly ParamValue[] | null): string {
  if (output.collection_type !== undefined) return output.collection_type;
  const source = output.structured_like ?? output.type_source;
  if (source === undefined) return 'list';
  const index = sourceIndex(expansion, source);
  if (index < 0) return 'list';
  const value = combination?.[index];
  if (value?.kind === 'collection') return value.collection.collection_type;
  const param = expansion.params[index]!;
  if (param.mapOver?.subcollectionType) return param.mapOver.subcollectionType === 'single_datasets' ? 'paired_or_unpaired' : param.mapOver.subcollectionType;
  const template = expansion.template[index];
  if (template?.kind === 'collection') return template.collection.collection_type;
  return 'list';
}

/** The parameter an output names: by its prefixed key (`cond|input1`), or by its own name anywhere in the tree. */
function sourceIndex(expansion: ExpansionSuccess, source: string): number {
  const exact = expansion.params.findIndex((p) => p.key === source);
  if (exact >= 0) return exact;
  return expansion.params.findIndex((p) => p.key.endsWith(`|${source}`));
}
