import type { ToolCase, JsonValue, RequestInputs } from './case.js';
import type { HistoryDataset } from './history.js';
import { describeJson, fail, isJsonObject } from './json-checks.js';

/**
 * `{"src": "url", "url": ..., "ext": ...}` request values: Galaxy's tool request
 * API dereferences each into a new (deferred) dataset of the history before any
 * job is queued (tool_util/parameters/convert.py `dereference`, called from the
 * jobs service when the tool request is created), so the jobs see an ordinary
 * `{"src": "hda"}`. cardfuzz does the same when it reads a case: every url
 * value becomes a new history dataset (with `url` set) and the request refers
 * to it. Other entries keep the url value and `checkRequestReferences` refuses it.
 */
const URL_REFERENCE_KEYS = ['src', 'url', 'ext', 'name', 'dbkey', 'deferred', 'info', 'hashes', 'created_from_basename', 'space_to_tab', 'to_posix_lines'];

export function dereferenceUrls(c: ToolCase, path: string): ToolCase {
  if (c.entry !== 'tool-request' || !JSON.stringify(c.request).includes('"url"')) return c;
  let nextId = c.history.datasets.reduce((max, d) => Math.max(max, d.id), 0) + 1;
  const added: HistoryDataset[] = [];
  const rewrite = (value: JsonValue, at: string): JsonValue => {
    if (Array.isArray(value)) return value.map((v, i) => rewrite(v, `${at}[${i}]`));
    if (!isJsonObject(value)) return value;
    if (value['src'] === 'url') {
      for (const key of Object.keys(value)) if (!URL_REFERENCE_KEYS.includes(key)) fail(at, `unknown url reference field "${key}"`);
      const url = value['url'];
      if (typeof url !== 'string' || url.length === 0) fail(`${at}.url`, `a url reference needs a "url", got ${describeJson(url)}`);
      const ext = value['ext'];
      const dataset: HistoryDataset = { id: nextId++, url, ...(typeof ext === 'string' && ext !== 'auto' ? { extension: ext } : {}), ...(typeof value['dbkey'] === 'string' ? { dbkey: value['dbkey'] } : {}) };
      added.push(dataset);
      return { src: 'hda', id: dataset.id };
    }
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = rewrite(v as JsonValue, `${at}.${k}`);
    return out;
  };
  const request = rewrite(c.request as JsonValue, path) as RequestInputs;
  if (added.length === 0) return c;
  return { ...c, request, history: { ...c.history, datasets: [...c.history.datasets, ...added] } };
}
