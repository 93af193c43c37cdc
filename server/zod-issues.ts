import type { z } from 'zod';

/**
 * How the server words what zod found wrong with a request body, a query, path parameters or its
 * own configuration: one place, so every route and every setting reads alike. Each problem names
 * the field (`ipRule.allow[0]`) and what is wrong with its shape or type. Nothing of the
 * submitted value is repeated — a misplaced password or token must not come back in an error
 * body or a log line — only the schema's own words, types, limits and allowed values.
 */

/** One problem: where (as zod gives it, and as text: empty at the top level) and what. */
export interface Problem {
  at: readonly PropertyKey[];
  path: string;
  message: string;
}

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/** More than this many problems are summed up as "and N more". */
const MAX_PROBLEMS = 5;
/** Member names come from the caller: a few, each cut short. */
const MAX_NAMES = 3;
const MAX_NAME_LENGTH = 40;

/**
 * Zod's per-parse error map (`safeParse(value, { error: issueMessage })`): plainer words for
 * zod's defaults, from the issue's kind and the input's type only. A message a schema sets
 * itself (`refine(..., 'must be …')`) takes precedence over this one.
 */
export function issueMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) {
        return (issue.path?.length ?? 0) === 0 ? 'a value is required' : 'is required';
      }
      return `must be ${withArticle(issue.expected)}, not ${withArticle(typeName(issue.input))}`;
    case 'unrecognized_keys':
      return `has unknown member${issue.keys.length === 1 ? '' : 's'} ${names(issue.keys)}`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'invalid_union':
      // A discriminated union whose tag matched none of its options.
      if ('options' in issue && Array.isArray(issue.options)) {
        return `must be one of ${issue.options.map((v) => JSON.stringify(v)).join(', ')}`;
      }
      return undefined;
    case 'too_small':
      return sizeMessage(bound(issue, 'at least', 'more than'), issue.origin, issue.minimum);
    case 'too_big':
      return sizeMessage(bound(issue, 'at most', 'less than'), issue.origin, issue.maximum);
    default:
      return undefined;
  }
}

/**
 * The problems of a failed parse, at most five and then a count. A union that no option matched
 * reports only "Invalid input", with each option's issues attached: the option the input came
 * closest to speaks instead — the one whose problems lie deepest, then the fewest.
 */
export function describeIssues(issues: readonly Issue[]): Problem[] {
  const problems = issues.flatMap((issue) => flatten(issue, []));
  const shown = problems.slice(0, MAX_PROBLEMS);
  const rest = problems.length - shown.length;
  return rest > 0 ? [...shown, { at: [], path: '', message: `and ${rest} more` }] : shown;
}

/** `ipRule.allow[0]`: members joined by dots, array positions in brackets. */
export function pathText(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else {
      const name = typeof segment === 'symbol' ? '?' : shorten(segment);
      text += /^[A-Za-z_$][\w$]*$/.test(name)
        ? `${text === '' ? '' : '.'}${name}`
        : `[${JSON.stringify(name)}]`;
    }
  }
  return text;
}

function flatten(issue: Issue, prefix: readonly PropertyKey[]): Problem[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const closest = closestOption(issue.errors);
    if (closest) return closest.flatMap((inner) => flatten(inner, path));
  }
  return [{ at: path, path: pathText(path), message: issue.message }];
}

function closestOption(options: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  let best: readonly Issue[] | undefined;
  let bestDepth = -1;
  for (const option of options) {
    if (option.length === 0) continue;
    const depth = Math.max(...option.map((issue) => issue.path.length));
    if (depth > bestDepth || (depth === bestDepth && best && option.length < best.length)) {
      best = option;
      bestDepth = depth;
    }
  }
  return best;
}

function bound(
  issue: { exact?: boolean | undefined; inclusive?: boolean | undefined },
  inclusive: string,
  exclusive: string,
): string {
  if (issue.exact) return 'exactly';
  return issue.inclusive === false ? exclusive : inclusive;
}

function sizeMessage(bound: string, origin: string, limit: number | bigint | Date): string {
  const n = limit instanceof Date ? limit.toISOString() : String(limit);
  switch (origin) {
    case 'string':
      return `must be ${bound} ${n} character${n === '1' ? '' : 's'} long`;
    case 'array':
    case 'set':
      return `must have ${bound} ${n} item${n === '1' ? '' : 's'}`;
    default:
      return `must be ${bound} ${n}`;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function withArticle(type: string): string {
  if (type === 'null' || type === 'undefined') return type;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

function names(keys: readonly string[]): string {
  const listed = keys.slice(0, MAX_NAMES).map((key) => JSON.stringify(shorten(key)));
  const rest = keys.length - listed.length;
  return rest > 0 ? `${listed.join(', ')} and ${rest} more` : listed.join(', ');
}

function shorten(name: string): string {
  return name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH)}…` : name;
}
