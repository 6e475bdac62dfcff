// The campaign's report as a PDF: what was reviewed (scope, owner, dates), the totals, how far
// each reviewer got, and every decision with its reason and verification — the evidence an
// auditor reads for the periodic access review.
import { renderPdf, type PdfBlock } from '../../platform/pdf/index.ts';
import type { CampaignRow, ItemRow } from './access-reviews.repo.ts';

/** What the report is made of. */
export interface AccessReviewReportInput {
  campaign: CampaignRow;
  systems: readonly string[];
  items: readonly ItemRow[];
  generatedAt: Date;
}

/** Totals of a campaign's items. */
export interface ReportTotals {
  items: number;
  kept: number;
  revoked: number;
  modified: number;
  verified: number;
  pendingDecision: number;
  pendingVerification: number;
}

/** Count the outcomes of items. */
export function countOutcomes(items: readonly ItemRow[]): ReportTotals {
  const totals: ReportTotals = {
    items: items.length,
    kept: 0,
    revoked: 0,
    modified: 0,
    verified: 0,
    pendingDecision: 0,
    pendingVerification: 0,
  };
  for (const item of items) {
    if (item.decision === 'keep') totals.kept++;
    else if (item.decision === 'revoke') totals.revoked++;
    else if (item.decision === 'change') totals.modified++;
    else totals.pendingDecision++;
    if (item.verification === 'verified') totals.verified++;
    if (item.verification === 'pending') totals.pendingVerification++;
  }
  return totals;
}

function formatMoment(date: Date | null): string {
  return date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—';
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${String(Math.floor((part * 100) / whole))} %`;
}

const decisionLabels = { keep: 'Keep', revoke: 'Revoke', change: 'Modify' } as const;

const reviewerRuleLabels = {
  system_owner: "The system's owner",
  manager: "The account holder's manager",
} as const;

function accountCell(item: ItemRow): string {
  const names = [item.username, item.email].filter(
    (n): n is string => n !== null && n !== item.external_id,
  );
  return [
    item.external_id,
    ...names,
    item.person_name ? `Person: ${item.person_name}` : 'No person linked',
    ...(item.is_privileged ? ['Privileged'] : []),
  ].join('\n');
}

function verificationCell(item: ItemRow): string {
  if (item.verification === 'not_needed') return item.decision === null ? '' : 'Not needed';
  if (item.verification === 'pending') return 'Pending';
  return `${formatMoment(item.verified_at)}\nby ${item.verified_by === 'sync' ? 'account sync' : 'evidence'}`;
}

/** The blocks of the report (exported for tests of its content without a PDF). */
export function buildReportBlocks(input: AccessReviewReportInput): PdfBlock[] {
  const { campaign, items } = input;
  const totals = countOutcomes(items);
  const isClosed = campaign.status === 'closed';
  const byReviewer = new Map<
    string,
    { name: string; email: string; items: number; decided: number; revoked: number }
  >();
  for (const item of items) {
    const entry = byReviewer.get(item.reviewer_user_id) ?? {
      name: item.reviewer_name,
      email: item.reviewer_email,
      items: 0,
      decided: 0,
      revoked: 0,
    };
    entry.items++;
    if (item.decision !== null) entry.decided++;
    if (item.decision === 'revoke' || item.decision === 'change') entry.revoked++;
    byReviewer.set(item.reviewer_user_id, entry);
  }
  const reviewers = [...byReviewer.values()].sort((a, b) => a.name.localeCompare(b.name));
  return [
    { type: 'heading', text: `Access review report: ${campaign.name}` },
    {
      type: 'paragraph',
      text: isClosed
        ? `Closed ${formatMoment(campaign.closed_at)}: every account in scope has a decision and every revocation or modification was verified.`
        : `Interim report of an open campaign, generated ${formatMoment(input.generatedAt)}: decisions and verifications may still change.`,
    },
    { type: 'heading', level: 2, text: 'Campaign' },
    {
      type: 'table',
      showHeader: false,
      boldFirstColumn: true,
      size: 9,
      columns: [
        { header: 'Field', width: 150 },
        { header: 'Value', width: 600 },
      ],
      rows: [
        ['Campaign', campaign.name],
        ['Status', isClosed ? 'Closed' : 'Open'],
        [
          'Scope',
          `${String(input.systems.length)} system(s): ${input.systems.join(', ')}; ${String(totals.items)} account(s) as they were at launch`,
        ],
        ['Reviewers', reviewerRuleLabels[campaign.reviewer_rule]],
        ['Owner', `${campaign.owner_name} <${campaign.owner_email}>`],
        ['Launched', `${formatMoment(campaign.launched_at)} by ${campaign.launched_by_label}`],
        ['Due', campaign.due_on],
        ['Closed', formatMoment(campaign.closed_at)],
        ['Report generated', formatMoment(input.generatedAt)],
      ],
    },
    { type: 'heading', level: 2, text: 'Totals' },
    {
      type: 'table',
      size: 9,
      columns: [
        { header: 'Accounts', width: 90 },
        { header: 'Kept', width: 90 },
        { header: 'Revoked', width: 90 },
        { header: 'Modified', width: 90 },
        { header: 'Verified', width: 90 },
        { header: 'Pending decision', width: 110 },
        { header: 'Pending verification', width: 120 },
      ],
      rows: [
        [
          totals.items,
          totals.kept,
          totals.revoked,
          totals.modified,
          totals.verified,
          totals.pendingDecision,
          totals.pendingVerification,
        ].map(String),
      ],
    },
    { type: 'heading', level: 2, text: 'Completion by reviewer' },
    {
      type: 'table',
      size: 9,
      columns: [
        { header: 'Reviewer', width: 170 },
        { header: 'Email', width: 220 },
        { header: 'Accounts', width: 80 },
        { header: 'Decided', width: 80 },
        { header: 'Completion', width: 90 },
        { header: 'Revoked or modified', width: 110 },
      ],
      rows: reviewers.map((r) => [
        r.name,
        r.email,
        String(r.items),
        String(r.decided),
        percent(r.decided, r.items),
        String(r.revoked),
      ]),
    },
    { type: 'heading', level: 2, text: 'Decisions' },
    items.length === 0
      ? { type: 'paragraph', text: 'No account was in scope.' }
      : {
          type: 'table',
          size: 7.5,
          columns: [
            { header: 'Account', width: 115 },
            { header: 'System', width: 75 },
            { header: 'Entitlements', width: 115 },
            { header: 'Reviewer', width: 80 },
            { header: 'Decision', width: 45 },
            { header: 'Comment', width: 120 },
            { header: 'Decided at', width: 100 },
            { header: 'Verified at', width: 100 },
          ],
          rows: items.map((item) => [
            accountCell(item),
            item.system_name,
            item.entitlements
              .map((e) => `${e.kind}: ${e.name}${e.isPrivileged ? ' (privileged)' : ''}`)
              .join('\n'),
            item.reviewer_name,
            item.decision ? decisionLabels[item.decision] : 'Pending',
            item.reason ?? '',
            item.decided_at
              ? `${formatMoment(item.decided_at)}\nby ${item.decided_by_label ?? '—'}`
              : '',
            verificationCell(item),
          ]),
        },
  ];
}

/** The campaign's report as a PDF document. */
export function renderAccessReviewPdf(input: AccessReviewReportInput): Buffer {
  const title = `Access review report: ${input.campaign.name}`;
  return renderPdf(
    {
      title,
      subject: 'Access review campaign: population, reviewers, decisions and verification',
      author: 'Steward',
      creationDate: input.generatedAt,
      orientation: 'landscape',
      footer: `Steward - ${title}`,
    },
    buildReportBlocks(input),
  );
}
