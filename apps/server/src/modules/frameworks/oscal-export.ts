import { createHash } from 'node:crypto';
import { OscalError } from './oscal-catalog.ts';

/** A control of the organisation's program, with what proves it, as the OSCAL builders need it. */
export interface ExportControl {
  id: string;
  ref: string;
  title: string;
  description: string;
  section: number | null;
  implementationStatus: 'implemented' | 'partial' | 'planned' | 'alternative' | 'not-applicable';
  status: 'passing' | 'failing' | 'due' | 'not_proved';
  statusReason: string;
  owner: { name: string; email: string } | null;
  requirements: { frameworkKey: string; frameworkName: string; ref: string; title: string }[];
  evidence: {
    id: string;
    title: string;
    href: string | null;
    sha256: string | null;
    collectedAt: string;
    effectiveFrom: string;
    effectiveTo: string;
  }[];
  checks: {
    key: string;
    name: string;
    lastStatus: 'pass' | 'fail' | null;
    lastObservedAt: string | null;
  }[];
}

/** Everything one OSCAL export of an organisation's program is built from. */
export interface ExportInput {
  orgId: string;
  orgName: string;
  systemName: string;
  generatedAt: Date;
  stewardVersion: string;
  controls: ExportControl[];
}

/**
 * The OSCAL version the exports declare. The newest OSCAL JSON Schemas available offline are
 * 1.0.6 (1.1.x schemas are published only as release downloads), so the documents are built to
 * 1.0.6 and say so: a document is only claimed to be what it has been validated as.
 */
export const OSCAL_EXPORT_VERSION = '1.0.6';

/** Namespace of Steward's own OSCAL props, as OSCAL asks of extensions. */
export const STEWARD_OSCAL_NS = 'https://steward.dev/ns/oscal';

// Fixed namespace of Steward's name-based UUIDs; changing it would change every exported UUID.
const UUID_NAMESPACE = Buffer.from('47c698fa2afd4f3098ab5d91c6827056', 'hex');
const TOKEN = /^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u;
const byText = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

type Json = Record<string, unknown>;
type Evidence = ExportControl['evidence'][number];
type Check = ExportControl['checks'][number];

interface Context {
  input: ExportInput;
  controls: ExportControl[];
  at: string;
  uuid: (...parts: string[]) => string;
  orgParty: string;
  owners: Map<string, { uuid: string; name: string; email: string }>;
  thisSystem: string;
  steward: string;
}

/** RFC 4122 version 5 UUID (SHA-1, name-based): the same name always gives the same UUID. */
function uuidV5(name: string): string {
  const hash = createHash('sha1').update(UUID_NAMESPACE).update(name, 'utf8').digest();
  hash.writeUInt8((hash.readUInt8(6) & 0x0f) | 0x50, 6);
  hash.writeUInt8((hash.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Drops absent values and empty arrays: OSCAL arrays need at least one item. */
function compact(object: Json): Json {
  return Object.fromEntries(
    Object.entries(object).filter(
      ([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0),
    ),
  );
}

/** One line, no outer spaces: what OSCAL's string type (names, prop values) allows. */
function oneLine(text: string, fallback: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line === '' ? fallback : line;
}

function prose(text: string, fallback: string): string {
  const trimmed = text.trim();
  return trimmed === '' ? fallback : trimmed;
}

function dateTime(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`not a date: ${value}`);
  return date.toISOString();
}

function day(value: string): string {
  return dateTime(value).slice(0, 10);
}

/** A lower-cased OSCAL token for a Steward control ref: `GOV-01` → `gov-01`. */
function controlId(ref: string): string {
  const id = ref
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^\p{L}\p{N}._-]/gu, '-');
  return /^(\p{L}|_)/u.test(id) ? id : `_${id}`;
}

function safeHref(href: string): string {
  return href.trim().replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/g, encodeURIComponent);
}

function prop(name: string, value: string, extra: { class?: string } = {}): Json | undefined {
  const line = value.replace(/\s+/g, ' ').trim();
  if (line === '') return undefined;
  const cls = extra.class === undefined ? undefined : controlId(extra.class);
  return compact({ name, ns: STEWARD_OSCAL_NS, value: line, class: cls });
}

function props(...list: (Json | undefined)[]): Json[] {
  return list.filter((item): item is Json => item !== undefined);
}

const statusText: Record<ExportControl['status'], string> = {
  passing: 'passing',
  failing: 'failing',
  due: 'due for evidence or review',
  not_proved: 'not proved',
};

function prepare(input: ExportInput): Context {
  const uuid = (...parts: string[]) => uuidV5([input.orgId, ...parts].join('\u0000'));
  const controls = [...input.controls].sort(
    (a, b) =>
      (a.section ?? Number.MAX_SAFE_INTEGER) - (b.section ?? Number.MAX_SAFE_INTEGER) ||
      byText.compare(a.ref, b.ref) ||
      byText.compare(a.id, b.id),
  );
  const owners = new Map<string, { uuid: string; name: string; email: string }>();
  for (const { owner } of controls) {
    if (owner === null) continue;
    const key = owner.email.trim().toLowerCase();
    if (!owners.has(key)) {
      owners.set(key, { uuid: uuid('party', key), name: owner.name, email: owner.email.trim() });
    }
  }
  return {
    input,
    controls,
    at: input.generatedAt.toISOString(),
    uuid,
    orgParty: uuid('party', 'organization'),
    owners,
    thisSystem: uuid('component', 'this-system'),
    steward: uuid('component', 'steward'),
  };
}

function ownerUuid(ctx: Context, control: ExportControl): string | undefined {
  return control.owner === null
    ? undefined
    : ctx.owners.get(control.owner.email.trim().toLowerCase())?.uuid;
}

function metadata(ctx: Context, title: string): Json {
  const owners = [...ctx.owners.values()];
  return compact({
    title,
    'last-modified': ctx.at,
    version: ctx.at,
    'oscal-version': OSCAL_EXPORT_VERSION,
    props: props(prop('generator', `Steward ${ctx.input.stewardVersion}`)),
    roles: [
      { id: 'system-owner', title: 'System Owner' },
      ...(owners.length > 0 ? [{ id: 'control-owner', title: 'Control Owner' }] : []),
    ],
    parties: [
      {
        uuid: ctx.orgParty,
        type: 'organization',
        name: oneLine(ctx.input.orgName, 'Organization'),
      },
      ...owners.map((owner) =>
        compact({
          uuid: owner.uuid,
          type: 'person',
          name: oneLine(owner.name, owner.email),
          'email-addresses': owner.email === '' ? undefined : [owner.email],
          'member-of-organizations': [ctx.orgParty],
        }),
      ),
    ],
    'responsible-parties': [
      { 'role-id': 'system-owner', 'party-uuids': [ctx.orgParty] },
      ...(owners.length > 0
        ? [{ 'role-id': 'control-owner', 'party-uuids': owners.map((owner) => owner.uuid) }]
        : []),
    ],
  });
}

/** Wraps a document; its UUID changes exactly when its content does, as OSCAL asks. */
function document(ctx: Context, model: string, body: Json): object {
  // The export time alone must not make a new document, so it is left out of the digest.
  const stable = Object.fromEntries(
    Object.entries(body.metadata as Json).filter(
      ([key]) => key !== 'last-modified' && key !== 'version',
    ),
  );
  const digest = createHash('sha256')
    .update(JSON.stringify({ ...body, metadata: stable }))
    .digest('hex');
  return { [model]: { uuid: ctx.uuid('document', model, digest), ...body } };
}

function thisSystemComponent(ctx: Context): Json {
  return {
    uuid: ctx.thisSystem,
    type: 'this-system',
    title: oneLine(ctx.input.systemName, 'This system'),
    description: `The system whose security program ${ctx.input.orgName} runs in Steward.`,
    status: { state: 'operational' },
    'responsible-roles': [{ 'role-id': 'system-owner', 'party-uuids': [ctx.orgParty] }],
  };
}

function stewardComponent(ctx: Context): Json {
  return {
    uuid: ctx.steward,
    type: 'software',
    title: 'Steward',
    description:
      'Security-program platform that records the controls, their owners and evidence, and runs the automated checks behind this document.',
    props: props(prop('version', ctx.input.stewardVersion)),
    status: { state: 'operational' },
  };
}

function evidenceUuid(ctx: Context, evidence: Evidence): string {
  return ctx.uuid('resource', 'evidence', evidence.id);
}

function sha256Of(evidence: Evidence): string | undefined {
  const value = evidence.sha256?.trim().toLowerCase();
  return value !== undefined && /^[0-9a-f]{64}$/.test(value) ? value : undefined;
}

/** Back-matter resources for the evidence of these controls, each once. */
function evidenceResources(ctx: Context, controls: ExportControl[]): Json[] {
  const seen = new Map<string, Json>();
  for (const evidence of controls.flatMap((control) => control.evidence)) {
    if (seen.has(evidence.id)) continue;
    const sha256 = sha256Of(evidence);
    const href = evidence.href === null ? '' : safeHref(evidence.href);
    seen.set(
      evidence.id,
      compact({
        uuid: evidenceUuid(ctx, evidence),
        title: oneLine(evidence.title, 'Evidence'),
        description: `Evidence collected on ${day(evidence.collectedAt)}, effective from ${day(evidence.effectiveFrom)} to ${day(evidence.effectiveTo)}.`,
        props: props(
          prop('collected', dateTime(evidence.collectedAt)),
          prop('effective-from', dateTime(evidence.effectiveFrom)),
          prop('effective-to', dateTime(evidence.effectiveTo)),
          // Without a link there is no rlink to carry the hash, so it is kept as a prop.
          href === '' && sha256 !== undefined ? prop('sha256', sha256) : undefined,
        ),
        rlinks:
          href === ''
            ? undefined
            : [
                compact({
                  href,
                  hashes:
                    sha256 === undefined ? undefined : [{ algorithm: 'SHA-256', value: sha256 }],
                }),
              ],
      }),
    );
  }
  return [...seen.values()];
}

function controlsResource(ctx: Context): Json {
  return {
    uuid: ctx.uuid('resource', 'controls'),
    title: `Controls of ${oneLine(ctx.input.orgName, 'the organization')}`,
    description:
      'The control set of the security program as maintained in Steward. The control ids of this document are its refs, lower-cased.',
  };
}

function controlProps(control: ExportControl): Json[] {
  return props(
    prop('label', control.ref),
    prop('title', control.title),
    prop('implementation-status', control.implementationStatus),
    prop('status', control.status),
    ...control.requirements.map((requirement) =>
      prop('framework-requirement', requirement.ref, { class: requirement.frameworkKey }),
    ),
  );
}

function controlLinks(ctx: Context, control: ExportControl): Json[] {
  return control.evidence.map((evidence) => ({
    href: `#${evidenceUuid(ctx, evidence)}`,
    rel: 'evidence',
    text: oneLine(evidence.title, 'Evidence'),
  }));
}

function statusRemarks(control: ExportControl): string {
  const reason = control.statusReason.trim();
  return `Status in Steward: ${statusText[control.status]}.${reason === '' ? '' : ` ${reason}`}`;
}

function ownerRoles(ctx: Context, control: ExportControl): Json[] | undefined {
  const owner = ownerUuid(ctx, control);
  return owner === undefined ? undefined : [{ 'role-id': 'control-owner', 'party-uuids': [owner] }];
}

function implementedRequirementUuid(ctx: Context, control: ExportControl): string {
  return ctx.uuid('implemented-requirement', control.id);
}

/** Per framework, the requirements the controls meet, for refs that are OSCAL control ids. */
function frameworkImplementations(ctx: Context): Json[] {
  const frameworks = new Map<string, { name: string; refs: Map<string, ExportControl[]> }>();
  for (const control of ctx.controls) {
    for (const requirement of control.requirements) {
      // A ref that is no OSCAL token cannot name a control of the framework's catalog.
      if (!TOKEN.test(requirement.ref)) continue;
      const framework = frameworks.get(requirement.frameworkKey) ?? {
        name: requirement.frameworkName,
        refs: new Map<string, ExportControl[]>(),
      };
      frameworks.set(requirement.frameworkKey, framework);
      const meeting = framework.refs.get(requirement.ref) ?? [];
      framework.refs.set(requirement.ref, [...meeting, control]);
    }
  }
  return [...frameworks.entries()].map(([key, framework]) => ({
    uuid: ctx.uuid('control-implementation', 'framework', key),
    source: `#${ctx.uuid('resource', 'framework', key)}`,
    description: `How the controls of ${ctx.input.orgName} meet ${framework.name}.`,
    'implemented-requirements': [...framework.refs.entries()]
      .sort(([a], [b]) => byText.compare(a, b))
      .map(([ref, controls]) => ({
        uuid: ctx.uuid('framework-requirement', key, ref),
        'control-id': ref,
        description: `Met by ${controls
          .map((c) => `${c.ref} ${c.title} (${c.implementationStatus}, ${statusText[c.status]})`)
          .join('; ')}.`,
        props: props(...controls.map((c) => prop('implemented-by', controlId(c.ref)))),
      })),
  }));
}

function frameworkResources(ctx: Context): Json[] {
  const names = new Map<string, string>();
  for (const requirement of ctx.controls.flatMap((control) => control.requirements)) {
    if (TOKEN.test(requirement.ref) && !names.has(requirement.frameworkKey)) {
      names.set(requirement.frameworkKey, requirement.frameworkName);
    }
  }
  return [...names.entries()].map(([key, name]) => ({
    uuid: ctx.uuid('resource', 'framework', key),
    title: oneLine(name, key),
    props: props(prop('framework-key', key)),
  }));
}

/** An OSCAL component definition: the system as a component and how it meets each control. */
export function buildComponentDefinition(input: ExportInput): object {
  const ctx = prepare(input);
  const stewardImplementation = {
    uuid: ctx.uuid('control-implementation', 'controls'),
    source: `#${ctx.uuid('resource', 'controls')}`,
    description: `The controls of ${input.orgName} as recorded in Steward.`,
    'implemented-requirements': ctx.controls.map((control) =>
      compact({
        uuid: implementedRequirementUuid(ctx, control),
        'control-id': controlId(control.ref),
        description: prose(control.description, control.title),
        props: controlProps(control),
        links: controlLinks(ctx, control),
        'responsible-roles': ownerRoles(ctx, control),
        remarks: statusRemarks(control),
      }),
    ),
  };
  return document(ctx, 'component-definition', {
    metadata: metadata(ctx, `${input.systemName}: component definition`),
    components: [
      {
        uuid: ctx.thisSystem,
        type: 'service',
        title: oneLine(input.systemName, 'System'),
        description: `The service ${input.orgName} operates, with the controls of its security program.`,
        'responsible-roles': [{ 'role-id': 'system-owner', 'party-uuids': [ctx.orgParty] }],
        'control-implementations':
          ctx.controls.length === 0
            ? undefined
            : [stewardImplementation, ...frameworkImplementations(ctx)],
      },
    ].map(compact),
    'back-matter': {
      resources: [
        controlsResource(ctx),
        ...frameworkResources(ctx),
        ...evidenceResources(ctx, ctx.controls),
      ],
    },
  });
}

function checksDescription(checks: Check[]): string {
  const lines = checks.map((check) => {
    const result =
      check.lastStatus === null || check.lastObservedAt === null
        ? 'not run yet'
        : `${check.lastStatus === 'pass' ? 'passed' : 'failed'} on ${dateTime(check.lastObservedAt)}`;
    return `* ${oneLine(check.name, check.key)} (\`${check.key}\`): ${result}`;
  });
  return `Steward checks this control automatically:\n\n${lines.join('\n')}`;
}

/**
 * An OSCAL system security plan: the system, its owners and how each control is implemented.
 * Throws OscalError when there is no control: OSCAL requires at least one implemented requirement.
 */
export function buildSystemSecurityPlan(input: ExportInput): object {
  const ctx = prepare(input);
  if (ctx.controls.length === 0) {
    throw new OscalError('there is no control to describe (an OSCAL SSP requires at least one)');
  }
  const notRecorded = 'not-categorized';
  return document(ctx, 'system-security-plan', {
    metadata: metadata(ctx, `${input.systemName}: system security plan`),
    'import-profile': { href: `#${ctx.uuid('resource', 'controls')}` },
    'system-characteristics': {
      'system-ids': [{ 'identifier-type': 'https://ietf.org/rfc/rfc4122', id: ctx.uuid('system') }],
      'system-name': oneLine(input.systemName, 'System'),
      description: `${input.systemName}, operated by ${input.orgName}; its security program is run in Steward.`,
      // OSCAL 1.0.6 requires a FIPS 199 categorisation, which Steward does not record.
      'security-sensitivity-level': notRecorded,
      'system-information': {
        'information-types': [
          {
            uuid: ctx.uuid('information-type', 'all'),
            title: `Information processed by ${input.systemName}`,
            description:
              'Steward does not record information types; the system owner completes this section.',
            'confidentiality-impact': { base: notRecorded },
            'integrity-impact': { base: notRecorded },
            'availability-impact': { base: notRecorded },
          },
        ],
      },
      'security-impact-level': {
        'security-objective-confidentiality': notRecorded,
        'security-objective-integrity': notRecorded,
        'security-objective-availability': notRecorded,
      },
      status: { state: 'operational' },
      'authorization-boundary': {
        description: `The authorization boundary of ${input.systemName} is defined by ${input.orgName}; Steward does not record it.`,
      },
      remarks:
        'Steward records no FIPS 199 categorisation: the sensitivity and impact levels read "not-categorized" until the system owner sets them.',
    },
    'system-implementation': {
      users: [
        {
          uuid: ctx.uuid('user', 'system-owner'),
          title: 'System owner',
          props: [{ name: 'type', value: 'internal' }],
          'role-ids': ['system-owner'],
        },
        ...(ctx.owners.size > 0
          ? [
              {
                uuid: ctx.uuid('user', 'control-owner'),
                title: 'Control owner',
                description:
                  'Owns controls of the security program and keeps their evidence current.',
                props: [{ name: 'type', value: 'internal' }],
                'role-ids': ['control-owner'],
              },
            ]
          : []),
      ],
      components: [thisSystemComponent(ctx), stewardComponent(ctx)],
    },
    'control-implementation': {
      description: `The controls of ${input.orgName}'s security program, as recorded in Steward.`,
      'implemented-requirements': ctx.controls.map((control) =>
        compact({
          uuid: implementedRequirementUuid(ctx, control),
          'control-id': controlId(control.ref),
          props: controlProps(control),
          links: controlLinks(ctx, control),
          'responsible-roles': ownerRoles(ctx, control),
          'by-components': [
            {
              'component-uuid': ctx.thisSystem,
              uuid: ctx.uuid('by-component', control.id, 'this-system'),
              description: prose(control.description, control.title),
              'implementation-status': { state: control.implementationStatus },
            },
            ...(control.checks.length > 0
              ? [
                  {
                    'component-uuid': ctx.steward,
                    uuid: ctx.uuid('by-component', control.id, 'steward'),
                    description: checksDescription(control.checks),
                  },
                ]
              : []),
          ],
          remarks: statusRemarks(control),
        }),
      ),
    },
    'back-matter': { resources: [controlsResource(ctx), ...evidenceResources(ctx, ctx.controls)] },
  });
}

function observed(
  check: Check,
): check is Check & { lastStatus: 'pass' | 'fail'; lastObservedAt: string } {
  return check.lastStatus !== null && check.lastObservedAt !== null;
}

/** Observations of a control: one per check that has run and one per piece of evidence. */
function observationsOf(ctx: Context, control: ExportControl): Json[] {
  const subjects = [{ 'subject-uuid': ctx.thisSystem, type: 'component' }];
  const label = `${control.ref} ${control.title}`;
  const fromChecks = control.checks.filter(observed).map((check) => {
    const outcome = check.lastStatus === 'pass' ? 'passed' : 'failed';
    return {
      uuid: ctx.uuid('observation', control.id, 'check', check.key, check.lastObservedAt),
      title: `${oneLine(check.name, check.key)}: ${outcome}`,
      description: `The automated check ${check.name} (\`${check.key}\`) ${outcome} for control ${label}.`,
      props: props(prop('check', check.key), prop('result', check.lastStatus)),
      methods: ['TEST'],
      types: ['control-objective'],
      origins: [{ actors: [{ type: 'tool', 'actor-uuid': ctx.steward }] }],
      subjects,
      collected: dateTime(check.lastObservedAt),
    };
  });
  const fromEvidence = control.evidence.map((evidence) => ({
    uuid: ctx.uuid('observation', control.id, 'evidence', evidence.id),
    title: `Evidence: ${oneLine(evidence.title, 'evidence')}`,
    description: `Evidence for control ${label}, effective from ${day(evidence.effectiveFrom)} to ${day(evidence.effectiveTo)}.`,
    methods: ['EXAMINE'],
    types: ['control-objective'],
    subjects,
    'relevant-evidence': [
      { href: `#${evidenceUuid(ctx, evidence)}`, description: oneLine(evidence.title, 'Evidence') },
    ],
    collected: dateTime(evidence.collectedAt),
    expires: dateTime(evidence.effectiveTo),
  }));
  return [...fromChecks, ...fromEvidence];
}

/** OSCAL assessment results: one result with the observations and a finding per control not passing. */
export function buildAssessmentResults(input: ExportInput): object {
  const ctx = prepare(input);
  const perControl = ctx.controls.map((control) => ({
    control,
    observations: observationsOf(ctx, control),
  }));
  const observations = perControl.flatMap(({ observations: list }) => list);
  const earliest = observations
    .map((observation) => observation.collected as string)
    .reduce((first, collected) => (collected < first ? collected : first), ctx.at);
  const findings = perControl
    .filter(({ control }) => control.status !== 'passing')
    .map(({ control, observations: related }) =>
      compact({
        uuid: ctx.uuid('finding', control.id),
        title: `${control.ref} ${control.title} is ${statusText[control.status]}`,
        description: prose(
          control.statusReason,
          `The control is ${statusText[control.status]} in Steward.`,
        ),
        target: {
          type: 'statement-id',
          'target-id': `${controlId(control.ref)}_smt`,
          title: `${control.ref} ${control.title}`,
          status: {
            state: 'not-satisfied',
            reason: control.status === 'failing' ? 'fail' : 'other',
          },
          'implementation-status': { state: control.implementationStatus },
        },
        'implementation-statement-uuid': implementedRequirementUuid(ctx, control),
        'related-observations': related.map((observation) => ({
          'observation-uuid': observation.uuid,
        })),
      }),
    );
  return document(ctx, 'assessment-results', {
    metadata: metadata(ctx, `${input.systemName}: assessment results`),
    'import-ap': { href: `#${ctx.uuid('resource', 'assessment-plan')}` },
    results: [
      compact({
        uuid: ctx.uuid('result', ctx.at),
        title: `Continuous monitoring of ${input.systemName}`,
        description: `Results of Steward's automated checks and evidence review for ${ctx.controls.length} controls, as of ${ctx.at}.`,
        start: earliest,
        end: ctx.at,
        'local-definitions': { components: [thisSystemComponent(ctx), stewardComponent(ctx)] },
        'reviewed-controls': {
          'control-selections': [
            ctx.controls.length === 0
              ? { description: 'No controls are recorded.' }
              : {
                  'include-controls': ctx.controls.map((control) => ({
                    'control-id': controlId(control.ref),
                  })),
                },
          ],
        },
        observations,
        findings,
      }),
    ],
    'back-matter': {
      resources: [
        {
          uuid: ctx.uuid('resource', 'assessment-plan'),
          title: 'Continuous assessment in Steward',
          description:
            'There is no separate OSCAL assessment plan: Steward assesses every control continuously through its automated checks and the review of its evidence.',
        },
        ...evidenceResources(ctx, ctx.controls),
      ],
    },
  });
}

/**
 * An OSCAL plan of action and milestones with one poam-item per failing control. Throws
 * OscalError when no control is failing: OSCAL requires at least one poam-item.
 */
export function buildPoam(input: ExportInput): object {
  const ctx = prepare(input);
  const failing = ctx.controls.filter((control) => control.status === 'failing');
  if (failing.length === 0) {
    throw new OscalError(
      'no control is failing, so there is nothing to put in a POA&M (OSCAL requires at least one item)',
    );
  }
  const perControl = failing.map((control) => ({
    control,
    observations: observationsOf(ctx, control),
  }));
  return document(ctx, 'plan-of-action-and-milestones', {
    metadata: metadata(ctx, `${input.systemName}: plan of action and milestones`),
    'import-ssp': { href: `#${ctx.uuid('resource', 'system-security-plan')}` },
    'system-id': { 'identifier-type': 'https://ietf.org/rfc/rfc4122', id: ctx.uuid('system') },
    'local-definitions': { components: [thisSystemComponent(ctx), stewardComponent(ctx)] },
    observations: perControl.flatMap(({ observations }) => observations),
    risks: failing.map((control) => ({
      uuid: ctx.uuid('risk', control.id),
      title: `${control.ref} ${control.title} is failing`,
      description: prose(control.description, control.title),
      statement: prose(
        control.statusReason,
        `Control ${control.ref} is failing, so the risk it treats is not treated.`,
      ),
      status: 'open',
    })),
    'poam-items': perControl.map(({ control, observations }) =>
      compact({
        uuid: ctx.uuid('poam-item', control.id),
        title: `${control.ref} ${control.title}`,
        description: prose(control.statusReason, `Control ${control.ref} is failing in Steward.`),
        props: controlProps(control),
        origins: [{ actors: [{ type: 'tool', 'actor-uuid': ctx.steward }] }],
        'related-observations': observations.map((observation) => ({
          'observation-uuid': observation.uuid,
        })),
        'related-risks': [{ 'risk-uuid': ctx.uuid('risk', control.id) }],
        remarks:
          control.owner === null
            ? 'The control has no owner in Steward.'
            : `Control owner: ${control.owner.name} <${control.owner.email}>.`,
      }),
    ),
    'back-matter': {
      resources: [
        {
          uuid: ctx.uuid('resource', 'system-security-plan'),
          title: `${input.systemName}: system security plan`,
          description: 'Exported from Steward alongside this plan.',
        },
        ...evidenceResources(ctx, failing),
      ],
    },
  });
}
