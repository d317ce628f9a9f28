// A problem found in the designer's files, printed as `path/file.yaml:line:column: message` like a compiler would.
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

export interface Problem {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
  message: string;
}

export function formatProblem(problem: Problem): string {
  const label = problem.severity === 'warning' ? 'warning: ' : '';
  return `${problem.file}:${problem.line}:${problem.column}: ${label}${problem.message}`;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((problem) => problem.severity === 'error');
}

/** A parsed YAML file that remembers where each node came from, so later checks can point at a line. */
export interface SourceFile {
  file: string;
  document: Document;
  lineCounter: LineCounter;
}

export function parseYamlSource(file: string, text: string): { source: SourceFile; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = [...document.errors, ...document.warnings].map((error) => {
    const position = error.linePos?.[0] ?? { line: 1, col: 1 };
    return {
      file,
      line: position.line,
      column: position.col,
      severity: document.errors.includes(error as never) ? 'error' : 'warning',
      message: `YAML: ${error.message.split('\n')[0]}`,
    };
  });
  return { source: { file, document, lineCounter }, problems };
}

/** Where a path inside the document starts; falls back to the nearest existing parent, then the file start. */
export function positionOf(
  source: SourceFile,
  path: readonly (string | number)[],
  offsetInNode = 0,
): { line: number; column: number } {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? source.document.contents : source.document.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) {
      const quoted = 'type' in node && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') ? 1 : 0;
      const offset = node.range[0] + (length === path.length ? offsetInNode + quoted : 0);
      const position = source.lineCounter.linePos(offset);
      return { line: position.line, column: position.col };
    }
  }
  return { line: 1, column: 1 };
}

export function problemAt(
  source: SourceFile,
  path: readonly (string | number)[],
  message: string,
  severity: Problem['severity'] = 'error',
  offsetInNode = 0,
): Problem {
  return { file: source.file, ...positionOf(source, path, offsetInNode), severity, message };
}

/** Parse a source with a zod schema; each issue points at the offending node. */
export function parseWithSchema<T>(
  source: SourceFile,
  schema: z.ZodType<T>,
): { value: T | null; problems: Problem[] } {
  const result = schema.safeParse(source.document.toJS() ?? {});
  if (result.success) return { value: result.data, problems: [] };
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
    const where = path.length > 0 ? `${path.join('.')}: ` : '';
    return problemAt(source, path, `${where}${issue.message}`);
  });
  return { value: null, problems };
}
