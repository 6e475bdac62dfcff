/** One control (or control enhancement) of an imported OSCAL catalog, flattened for Steward. */
export interface ImportedRequirement {
  /** The OSCAL control id, e.g. `ac-2.1`. */
  ref: string;
  /** The display label, e.g. `AC-2(1)`: the unclassed `label` prop, else the id upper-cased. */
  label: string;
  title: string;
  /** The statement as plain text: item labels kept, parameters written out as `[Assignment: …]`. */
  text: string;
  /** The guidance (discussion) prose as plain text. */
  guidance: string;
  /** The innermost group holding the control. */
  groupId: string | null;
  groupTitle: string | null;
  /** The control an enhancement belongs to. */
  parentRef: string | null;
  /** Position in document order, from 0. */
  sortOrder: number;
}

/** An OSCAL catalog reduced to what Steward keeps of it. */
export interface ImportedCatalog {
  uuid: string;
  title: string;
  version: string;
  oscalVersion: string;
  requirements: ImportedRequirement[];
}

/** What an OSCAL profile selects from the catalogs it imports. */
export interface ImportedProfile {
  uuid: string;
  title: string;
  imports: {
    /** The catalog: a back-matter reference (`#uuid`) is resolved to its JSON link when it has one. */
    href: string;
    includeAll: boolean;
    withIds: string[];
    excludeIds: string[];
  }[];
}

/** An OSCAL file Steward cannot import: what is wrong and where. */
export class OscalError extends Error {
  constructor(
    message: string,
    /** A JSON path such as `catalog.groups[3].controls[7].title`, or a line and column. */
    readonly where?: { path?: string; line?: number; column?: number },
  ) {
    super(message);
    this.name = 'OscalError';
  }
}

type JsonObject = Record<string, unknown>;

interface Context {
  fileName: string | undefined;
}

const OSCAL_ROOTS: Record<string, string> = {
  catalog: 'catalog',
  profile: 'profile',
  'component-definition': 'component definition',
  'system-security-plan': 'system security plan (SSP)',
  'assessment-plan': 'assessment plan',
  'assessment-results': 'assessment results document',
  'plan-of-action-and-milestones': 'plan of action and milestones (POA&M)',
  'mapping-collection': 'mapping collection',
};

const SUPPORTED_VERSION = /^1\.[01]\.\d+$/;
const TOKEN = /^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u;
const INSERT_PARAM = /\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}/g;
// Deeper nesting than this is no real catalog; the limit keeps recursion off the stack limit.
const MAX_DEPTH = 64;

function fail(ctx: Context, message: string, where?: OscalError['where']): never {
  const at = where?.path === undefined ? '' : ` (at ${where.path})`;
  const prefix = ctx.fileName === undefined ? '' : `${ctx.fileName}: `;
  throw new OscalError(`${prefix}${message}${at}`, where);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(ctx: Context, value: unknown, path: string): JsonObject {
  if (!isObject(value)) fail(ctx, `expected an object`, { path });
  return value;
}

function arrayAt(ctx: Context, parent: JsonObject, key: string, path: string): unknown[] {
  const value = parent[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(ctx, `"${key}" must be an array`, { path: `${path}.${key}` });
  return value;
}

function optionalString(
  ctx: Context,
  parent: JsonObject,
  key: string,
  path: string,
): string | undefined {
  const value = parent[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(ctx, `"${key}" must be a string`, { path: `${path}.${key}` });
  return value;
}

function requiredString(
  ctx: Context,
  parent: JsonObject,
  key: string,
  path: string,
  what: string,
): string {
  const value = optionalString(ctx, parent, key, path)?.trim();
  if (value === undefined || value === '') {
    fail(ctx, `${what} is missing`, { path: `${path}.${key}` });
  }
  return value;
}

/** Parses JSON text; on a syntax error, says what is wrong at which line and column. */
function parseJson(ctx: Context, raw: string, expected: string): unknown {
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  if (text.trim() === '') fail(ctx, `the file is empty; expected an OSCAL ${expected} in JSON`);
  if (looksBinary(text)) {
    fail(ctx, `this is not a text file; expected an OSCAL ${expected} in JSON`);
  }
  if (text.trimStart().startsWith('<')) {
    fail(
      ctx,
      `this looks like XML; Steward imports OSCAL in JSON, so export the ${expected} as JSON`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const found = findJsonSyntaxError(text) ?? positionFromMessage(error);
    if (found === null) fail(ctx, 'invalid JSON');
    const { line, column } = lineAndColumn(text, found.offset);
    fail(ctx, `invalid JSON at line ${line}, column ${column}: ${found.problem}`, { line, column });
  }
}

function looksBinary(text: string): boolean {
  const sample = Math.min(text.length, 4096);
  let odd = 0;
  for (let i = 0; i < sample; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0) return true;
    // Control characters other than tab, line feeds and form feed, or undecodable bytes.
    if ((code < 0x20 && (code < 0x09 || code > 0x0d)) || code === 0xfffd) odd += 1;
  }
  return odd > 8;
}

function positionFromMessage(error: unknown): { offset: number; problem: string } | null {
  if (!(error instanceof SyntaxError)) return null;
  const match = /at position (\d+)/.exec(error.message);
  return match?.[1] === undefined ? null : { offset: Number(match[1]), problem: error.message };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function describeChar(text: string, at: number): string {
  const code = text.codePointAt(at);
  if (code === undefined) return 'the end of the file';
  return code < 0x20 || code === 0x7f || code === 0xfffd
    ? `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`
    : `'${String.fromCodePoint(code)}'`;
}

/**
 * Finds the first JSON syntax error. V8's messages omit the position for unexpected tokens, so
 * this scanner, run only after JSON.parse failed, supplies it. Iterative, so deep nesting in a
 * hostile file cannot exhaust the stack.
 */
function findJsonSyntaxError(text: string): { offset: number; problem: string } | null {
  const n = text.length;
  const stack: string[] = [];
  let i = 0;
  let state: 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'after' = 'value';
  const skipSpace = () => {
    while (i < n && ' \t\n\r'.includes(text.charAt(i))) i += 1;
  };
  const unexpected = () => ({
    offset: i,
    problem: i >= n ? 'unexpected end of file' : `unexpected ${describeChar(text, i)}`,
  });
  const scanString = (): { offset: number; problem: string } | null => {
    i += 1;
    while (i < n) {
      const c = text.charAt(i);
      if (c === '"') {
        i += 1;
        return null;
      }
      if (c < ' ') {
        return { offset: i, problem: `${describeChar(text, i)} inside a string (unescaped?)` };
      }
      if (c === '\\') {
        const escape = text.charAt(i + 1);
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            return { offset: i, problem: 'bad \\u escape in a string' };
          }
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(escape) || escape === '') {
          return { offset: i, problem: 'bad escape in a string' };
        }
        i += 2;
        continue;
      }
      i += 1;
    }
    return { offset: n, problem: 'unterminated string' };
  };
  for (;;) {
    skipSpace();
    if (state === 'after') {
      const top = stack.at(-1);
      if (top === undefined) {
        return i < n ? { offset: i, problem: 'unexpected text after the end of the JSON' } : null;
      }
      const close = top === '{' ? '}' : ']';
      const c = text.charAt(i);
      if (c === ',') {
        i += 1;
        state = top === '{' ? 'key' : 'value';
      } else if (c === close) {
        i += 1;
        stack.pop();
      } else {
        const found = i >= n ? 'the end of the file' : describeChar(text, i);
        return { offset: i, problem: `expected ',' or '${close}' but found ${found}` };
      }
      continue;
    }
    if (i >= n) return unexpected();
    const c = text.charAt(i);
    if (state === 'key' || state === 'key-or-close') {
      if (c === '}' && state === 'key-or-close') {
        i += 1;
        stack.pop();
        state = 'after';
        continue;
      }
      if (c !== '"') {
        const why = state === 'key' && c === '}' ? 'a trailing comma' : describeChar(text, i);
        return { offset: i, problem: `expected a property name in double quotes but found ${why}` };
      }
      const bad = scanString();
      if (bad !== null) return bad;
      skipSpace();
      if (text.charAt(i) !== ':')
        return { offset: i, problem: `expected ':' after a property name` };
      i += 1;
      state = 'value';
      continue;
    }
    if (c === ']' && state === 'value-or-close') {
      i += 1;
      stack.pop();
      state = 'after';
    } else if (c === '{' || c === '[') {
      stack.push(c);
      i += 1;
      state = c === '{' ? 'key-or-close' : 'value-or-close';
    } else if (c === '"') {
      const bad = scanString();
      if (bad !== null) return bad;
      state = 'after';
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (match === null) return { offset: i, problem: 'malformed number' };
      i += match[0].length;
      state = 'after';
    } else {
      const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
      if (literal === undefined) {
        return c === ']'
          ? { offset: i, problem: `unexpected ']' after a trailing comma` }
          : unexpected();
      }
      i += literal.length;
      state = 'after';
    }
  }
}

/** The root object of an OSCAL document of the expected model, or an error naming what it is. */
function rootOf(ctx: Context, doc: unknown, expected: 'catalog' | 'profile'): JsonObject {
  if (!isObject(doc)) {
    const kind = Array.isArray(doc) ? 'an array' : doc === null ? 'null' : `a ${typeof doc}`;
    fail(ctx, `this is not an OSCAL ${expected}: the JSON is ${kind}, expected an object`);
  }
  const root = doc[expected];
  if (root === undefined) {
    const found = Object.keys(doc).find((key) => key in OSCAL_ROOTS);
    if (found !== undefined) {
      const hint =
        found === 'profile'
          ? '; import the catalog it selects from, then apply the profile to it'
          : found === 'catalog'
            ? '; import it as a catalog'
            : '';
      fail(ctx, `this is an OSCAL ${OSCAL_ROOTS[found] ?? found}, not a ${expected}${hint}`);
    }
    const keys = Object.keys(doc)
      .slice(0, 5)
      .map((key) => `"${key}"`)
      .join(', ');
    fail(
      ctx,
      `this is not an OSCAL ${expected}: expected a top-level "${expected}" key, found ${keys === '' ? 'an empty object' : keys}`,
    );
  }
  return objectAt(ctx, root, expected);
}

function readHeader(ctx: Context, root: JsonObject, model: string) {
  const uuid = requiredString(ctx, root, 'uuid', model, `the ${model} uuid`);
  const metadata = objectAt(ctx, root.metadata, `${model}.metadata`);
  const title = requiredString(ctx, metadata, 'title', `${model}.metadata`, `the ${model} title`);
  const version = requiredString(ctx, metadata, 'version', `${model}.metadata`, 'the version');
  const path = `${model}.metadata`;
  const oscalVersion = requiredString(ctx, metadata, 'oscal-version', path, 'the OSCAL version');
  if (!SUPPORTED_VERSION.test(oscalVersion)) {
    fail(
      ctx,
      `OSCAL version ${oscalVersion} is not supported; Steward imports OSCAL 1.0.x and 1.1.x`,
      { path: `${path}.oscal-version` },
    );
  }
  return { uuid, title, version, oscalVersion };
}

interface Param {
  label: string | undefined;
  values: string[];
  select: { oneOrMore: boolean; choices: string[] } | undefined;
}

function readParams(ctx: Context, owner: JsonObject, path: string, params: Map<string, Param>) {
  arrayAt(ctx, owner, 'params', path).forEach((value, index) => {
    const at = `${path}.params[${index}]`;
    const param = objectAt(ctx, value, at);
    const id = requiredString(ctx, param, 'id', at, 'the parameter id');
    const select =
      param.select === undefined ? undefined : objectAt(ctx, param.select, `${at}.select`);
    if (params.has(id)) return;
    params.set(id, {
      label: optionalString(ctx, param, 'label', at),
      values: arrayAt(ctx, param, 'values', at).filter((v): v is string => typeof v === 'string'),
      select: select && {
        oneOrMore: select['how-many'] === 'one-or-more',
        choices: arrayAt(ctx, select, 'choice', `${at}.select`).filter(
          (choice): choice is string => typeof choice === 'string',
        ),
      },
    });
  });
}

/** Plain text from OSCAL prose: spaces collapsed, lines trimmed, at most one blank line. */
function tidy(prose: string): string {
  return prose
    .split('\n')
    .map((line) =>
      line
        .replace(/[ \t]+/g, ' ')
        .replace(/ ([;,])/g, '$1')
        .trim(),
    )
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function substitute(text: string, params: Map<string, Param>, seen: Set<string>): string {
  return text.replace(INSERT_PARAM, (_match, id: string) => {
    const param = params.get(id);
    // A parameter that refers back to itself would recurse forever.
    if (param === undefined || seen.has(id)) return `[Assignment: ${id}]`;
    const inner = new Set(seen).add(id);
    if (param.values.length > 0) {
      return param.values.map((value) => tidy(substitute(value, params, inner))).join(', ');
    }
    if (param.select !== undefined) {
      const choices = param.select.choices.map((choice) => tidy(substitute(choice, params, inner)));
      return `[Selection${param.select.oneOrMore ? ' (one or more)' : ''}: ${choices.join('; ')}]`;
    }
    return `[Assignment: ${tidy(substitute(param.label ?? id, params, inner))}]`;
  });
}

function itemLabel(part: JsonObject): string {
  const props = Array.isArray(part.props) ? part.props : [];
  for (const prop of props) {
    if (isObject(prop) && prop.name === 'label' && typeof prop.value === 'string')
      return prop.value;
  }
  return '';
}

function childParts(ctx: Context, part: JsonObject, path: string): [JsonObject, string][] {
  return arrayAt(ctx, part, 'parts', path).map((child, index) => {
    const at = `${path}.parts[${index}]`;
    return [objectAt(ctx, child, at), at];
  });
}

/** The statement as indented lines: `a. …`, then `  1. …` under it. */
function renderStatement(
  ctx: Context,
  statement: JsonObject,
  path: string,
  params: Map<string, Param>,
) {
  const lines: string[] = [];
  const visit = (part: JsonObject, at: string, depth: number, isRoot: boolean) => {
    const prose =
      typeof part.prose === 'string' ? tidy(substitute(part.prose, params, new Set())) : '';
    const line = [itemLabel(part), prose].filter((piece) => piece !== '').join(' ');
    if (line !== '') lines.push(line.replace(/^/gm, '  '.repeat(depth)));
    for (const [child, childAt] of childParts(ctx, part, at)) {
      visit(child, childAt, isRoot ? depth : depth + 1, false);
    }
  };
  visit(statement, path, 0, true);
  return lines.join('\n');
}

function renderGuidance(
  ctx: Context,
  guidance: JsonObject,
  path: string,
  params: Map<string, Param>,
) {
  const paragraphs: string[] = [];
  const visit = (part: JsonObject, at: string) => {
    if (typeof part.prose === 'string')
      paragraphs.push(tidy(substitute(part.prose, params, new Set())));
    for (const [child, childAt] of childParts(ctx, part, at)) visit(child, childAt);
  };
  visit(guidance, path);
  return paragraphs.filter((paragraph) => paragraph !== '').join('\n\n');
}

function isWithdrawn(control: JsonObject): boolean {
  const props = Array.isArray(control.props) ? control.props : [];
  return props.some(
    (prop) => isObject(prop) && prop.name === 'status' && prop.value === 'withdrawn',
  );
}

function controlLabel(control: JsonObject, id: string): string {
  const props = Array.isArray(control.props) ? control.props.filter(isObject) : [];
  const labels = props.filter((prop) => prop.name === 'label' && typeof prop.value === 'string');
  // NIST catalogs carry several labels (zero-padded, SP 800-53A); the unclassed one is canonical.
  const label = labels.find((prop) => prop.class === undefined) ?? labels[0];
  return typeof label?.value === 'string' ? label.value : id.toUpperCase();
}

/**
 * Reads an OSCAL 1.0.x or 1.1.x JSON catalog: groups may nest, controls nest as enhancements.
 * Withdrawn controls (prop `status` = `withdrawn`) are left out. Throws OscalError naming the
 * problem and where: line and column for bad JSON, a JSON path for a missing field.
 */
export function parseOscalCatalog(text: string, fileName?: string): ImportedCatalog {
  const ctx: Context = { fileName };
  const root = rootOf(ctx, parseJson(ctx, text, 'catalog'), 'catalog');
  const header = readHeader(ctx, root, 'catalog');
  const params = new Map<string, Param>();
  const seenAt = new Map<string, string>();
  const requirements: ImportedRequirement[] = [];
  // Statements are rendered after the walk: a control may insert a parameter defined later.
  const pending: { requirement: ImportedRequirement; control: JsonObject; path: string }[] = [];
  readParams(ctx, root, 'catalog', params);

  const walkControls = (
    owner: JsonObject,
    path: string,
    group: { id: string | null; title: string | null },
    parentRef: string | null,
    depth: number,
  ) => {
    arrayAt(ctx, owner, 'controls', path).forEach((value, index) => {
      const at = `${path}.controls[${index}]`;
      if (depth > MAX_DEPTH) fail(ctx, `controls are nested too deeply`, { path: at });
      const control = objectAt(ctx, value, at);
      const id = requiredString(ctx, control, 'id', at, 'the control id');
      if (!TOKEN.test(id)) {
        fail(ctx, `control id "${id}" is not a valid OSCAL identifier`, { path: `${at}.id` });
      }
      const title = requiredString(ctx, control, 'title', at, `the title of control ${id}`);
      const earlier = seenAt.get(id);
      if (earlier !== undefined) {
        fail(ctx, `duplicate control id "${id}" at ${earlier} and ${at}`, { path: at });
      }
      seenAt.set(id, at);
      readParams(ctx, control, at, params);
      if (isWithdrawn(control)) {
        walkControls(control, at, group, parentRef, depth + 1);
        return;
      }
      const requirement: ImportedRequirement = {
        ref: id,
        label: controlLabel(control, id),
        title,
        text: '',
        guidance: '',
        groupId: group.id,
        groupTitle: group.title,
        parentRef,
        sortOrder: requirements.length,
      };
      requirements.push(requirement);
      pending.push({ requirement, control, path: at });
      walkControls(control, at, group, id, depth + 1);
    });
  };

  const walkGroups = (owner: JsonObject, path: string, depth: number) => {
    arrayAt(ctx, owner, 'groups', path).forEach((value, index) => {
      const at = `${path}.groups[${index}]`;
      if (depth > MAX_DEPTH) fail(ctx, `groups are nested too deeply`, { path: at });
      const group = objectAt(ctx, value, at);
      const id = optionalString(ctx, group, 'id', at) ?? null;
      const title = requiredString(ctx, group, 'title', at, 'the group title');
      readParams(ctx, group, at, params);
      walkControls(group, at, { id, title }, null, 0);
      walkGroups(group, at, depth + 1);
    });
  };

  walkControls(root, 'catalog', { id: null, title: null }, null, 0);
  walkGroups(root, 'catalog', 0);

  for (const { requirement, control, path } of pending) {
    childParts(ctx, control, path).forEach(([part, at]) => {
      if (part.name === 'statement' && requirement.text === '') {
        requirement.text = renderStatement(ctx, part, at, params);
      } else if (part.name === 'guidance' && requirement.guidance === '') {
        requirement.guidance = renderGuidance(ctx, part, at, params);
      }
    });
  }
  return { ...header, requirements };
}

function selectedIds(ctx: Context, selections: unknown[], path: string, key: string): string[] {
  const ids: string[] = [];
  selections.forEach((value, index) => {
    const at = `${path}.${key}[${index}]`;
    const selection = objectAt(ctx, value, at);
    if (selection.matching !== undefined) {
      fail(ctx, 'selecting controls by pattern ("matching") is not supported; list them by id', {
        path: `${at}.matching`,
      });
    }
    if (selection['with-child-controls'] === 'yes') {
      fail(ctx, '"with-child-controls" is not supported; list each enhancement by id', {
        path: `${at}.with-child-controls`,
      });
    }
    arrayAt(ctx, selection, 'with-ids', at).forEach((id, idIndex) => {
      if (typeof id !== 'string')
        fail(ctx, 'control ids must be strings', { path: `${at}.with-ids[${idIndex}]` });
      ids.push(id);
    });
  });
  return ids;
}

/** The JSON link of a back-matter resource, so `#uuid` becomes the catalog's address. */
function resolveHref(root: JsonObject, href: string): string {
  if (!href.startsWith('#')) return href;
  const backMatter = isObject(root['back-matter']) ? root['back-matter'] : {};
  const resources = Array.isArray(backMatter.resources)
    ? backMatter.resources.filter(isObject)
    : [];
  const resource = resources.find((candidate) => candidate.uuid === href.slice(1));
  const rlinks = Array.isArray(resource?.rlinks) ? resource.rlinks.filter(isObject) : [];
  const link =
    rlinks.find((candidate) => String(candidate['media-type']).includes('json')) ?? rlinks[0];
  return typeof link?.href === 'string' ? link.href : href;
}

/** Reads an OSCAL 1.0.x or 1.1.x JSON profile: which controls it takes from each import. */
export function parseOscalProfile(text: string, fileName?: string): ImportedProfile {
  const ctx: Context = { fileName };
  const root = rootOf(ctx, parseJson(ctx, text, 'profile'), 'profile');
  const { uuid, title } = readHeader(ctx, root, 'profile');
  const imports = arrayAt(ctx, root, 'imports', 'profile').map((value, index) => {
    const at = `profile.imports[${index}]`;
    const entry = objectAt(ctx, value, at);
    const href = requiredString(ctx, entry, 'href', at, 'the import href');
    const includeAll = entry['include-all'] !== undefined;
    const withIds = selectedIds(
      ctx,
      arrayAt(ctx, entry, 'include-controls', at),
      at,
      'include-controls',
    );
    if (!includeAll && entry['include-controls'] === undefined) {
      fail(ctx, 'the import has neither "include-all" nor "include-controls"', { path: at });
    }
    const excludeIds = selectedIds(
      ctx,
      arrayAt(ctx, entry, 'exclude-controls', at),
      at,
      'exclude-controls',
    );
    return { href: resolveHref(root, href), includeAll, withIds, excludeIds };
  });
  if (imports.length === 0) fail(ctx, 'the profile imports nothing', { path: 'profile.imports' });
  return { uuid, title, imports };
}

/**
 * Applies a profile to a catalog: keeps exactly the controls it includes (an enhancement does not
 * bring its parent; its parentRef then points to the nearest kept ancestor, or null), in catalog
 * order, under the profile's uuid and title. Every import is applied to this one catalog. Throws
 * OscalError when the profile names controls the catalog does not have.
 */
export function narrowCatalogByProfile(
  catalog: ImportedCatalog,
  profile: ImportedProfile,
): ImportedCatalog {
  const byRef = new Map(catalog.requirements.map((requirement) => [requirement.ref, requirement]));
  const keep = new Set<string>();
  const missing = new Set<string>();
  for (const entry of profile.imports) {
    const excluded = new Set(entry.excludeIds);
    const included = entry.includeAll ? [...byRef.keys()] : entry.withIds;
    for (const id of [...included, ...entry.excludeIds]) {
      if (!byRef.has(id)) missing.add(id);
    }
    for (const id of included) {
      if (!excluded.has(id) && byRef.has(id)) keep.add(id);
    }
  }
  if (missing.size > 0) {
    const listed = [...missing].slice(0, 10).join(', ');
    const more = missing.size > 10 ? ` and ${missing.size - 10} more` : '';
    throw new OscalError(
      `the profile "${profile.title}" names ${missing.size} control${missing.size === 1 ? '' : 's'} that the catalog "${catalog.title}" does not have: ${listed}${more}`,
    );
  }
  const keptAncestor = (ref: string | null): string | null => {
    let current = ref;
    while (current !== null && !keep.has(current)) current = byRef.get(current)?.parentRef ?? null;
    return current;
  };
  const requirements = catalog.requirements
    .filter((requirement) => keep.has(requirement.ref))
    .map((requirement, index) => ({
      ...requirement,
      parentRef: keptAncestor(requirement.parentRef),
      sortOrder: index,
    }));
  return { ...catalog, uuid: profile.uuid, title: profile.title, requirements };
}
