import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { FileAccessError, InvalidInputError } from '../errors.js';
import { parse as parseYaml } from 'yaml';
import { looksLikeGxformat2 } from '../model/gxformat2.js';
import { looksLikeGaWorkflow, readWorkflowFile, type WorkflowFile } from '../model/read-workflow-file.js';
import type { Tool } from '../model/tool.js';

/**
 * Finds and reads Galaxy workflow files for `run --workflow`: a file, or
 * every file under a folder that is a workflow Galaxy imports: `.ga` / `.json`
 * with `"a_galaxy_workflow": "true"`, or gxformat2 `.yml` / `.yaml` (usually
 * `.gxwf.yml`) with `class: GalaxyWorkflow`. Other JSON and YAML files (a
 * workflow's `-tests.yml`, configs) are skipped.
 */

const WORKFLOW_EXTENSIONS = new Set(['.ga', '.json', '.yml', '.yaml']);

const SKIPPED_FOLDERS = new Set(['.git', '.hg', '.venv', 'node_modules']);

export function findWorkflowFiles(argument: string): string[] {
  let stat;
  try {
    stat = statSync(argument);
  } catch {
    throw new FileAccessError(`--workflow ${argument}: no such file or folder`);
  }
  if (stat.isFile()) return [argument];
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 12) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(path, depth + 1);
      } else if (entry.isFile() && WORKFLOW_EXTENSIONS.has(extname(entry.name)) && isWorkflowFile(path)) found.push(path);
    }
  };
  walk(argument, 0);
  return found;
}

function isWorkflowFile(path: string): boolean {
  try {
    if (statSync(path).size >= 16 * 1024 * 1024) return false;
    const document = parseWorkflowText(readFileSync(path, 'utf8'), path);
    return looksLikeGaWorkflow(document) || looksLikeGxformat2(document);
  } catch {
    return false;
  }
}

/** JSON for `.ga` / `.json`, YAML (a superset of JSON) for the rest. */
function parseWorkflowText(text: string, path: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  return ['.ga', '.json'].includes(extname(path)) ? JSON.parse(body) : parseYaml(body, { maxAliasCount: 1000 });
}

/** Reads one workflow file; its tool steps run the given tools where their ids match, else what the step describes. */
export function loadWorkflowFile(path: string, tools: readonly Tool[]): WorkflowFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FileAccessError(`${path}: cannot read: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = parseWorkflowText(text, path);
  } catch (error) {
    const kind = ['.ga', '.json'].includes(extname(path)) ? 'JSON' : 'YAML';
    throw new InvalidInputError(`${path}: not ${kind} (${firstLine((error as Error).message)})`);
  }
  return readWorkflowFile(document, path, tools);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
