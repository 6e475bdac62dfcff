import { describe, expect, it } from 'vitest';
import { readPdf } from '../../../test/pdf-reader.ts';
import { countOutcomes, renderAccessReviewPdf } from './access-reviews-report.ts';
import type { CampaignRow, ItemRow } from './access-reviews.repo.ts';

const at = new Date('2026-11-27T08:00:00Z');

const campaign: CampaignRow = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Q4 review of Zoë’s systems',
  owner_user_id: '00000000-0000-4000-8000-000000000002',
  owner_name: 'Olga Owner',
  owner_email: 'olga@example.test',
  reviewer_rule: 'manager',
  due_on: '2026-12-15',
  status: 'open',
  launched_at: new Date('2026-11-01T09:30:00Z'),
  launched_by_label: 'olga@example.test',
  item_count: 0,
  closed_at: null,
  report_evidence_id: null,
  report_pdf_evidence_id: null,
};

function item(n: number, overrides: Partial<ItemRow> = {}): ItemRow {
  return {
    id: `item-${String(n)}`,
    campaign_id: campaign.id,
    system_id: 'system-1',
    system_name: 'Orders database',
    account_id: `account-${String(n)}`,
    external_id: `user_${String(n)}`,
    username: `user_${String(n)}`,
    email: null,
    display_name: null,
    person_id: null,
    person_name: `Person ${String(n)}`,
    account_status: 'active',
    is_privileged: false,
    mfa_enabled: null,
    last_sign_in_at: null,
    entitlements: [{ kind: 'role', name: 'reader', isPrivileged: false }],
    reviewer_user_id: 'reviewer-1',
    reviewer_name: 'Rita Reviewer',
    reviewer_email: 'rita@example.test',
    reviewer_source: 'manager',
    decision: null,
    reason: null,
    decided_by_label: null,
    decided_at: null,
    verification: 'not_needed',
    verified_at: null,
    verified_by: null,
    ...overrides,
  };
}

describe('countOutcomes', () => {
  it('counts decisions, verifications and what is still pending', () => {
    expect(
      countOutcomes([
        item(1, { decision: 'keep' }),
        item(2, { decision: 'revoke', verification: 'pending' }),
        item(3, { decision: 'change', verification: 'verified' }),
        item(4),
      ]),
    ).toEqual({
      items: 4,
      kept: 1,
      revoked: 1,
      modified: 1,
      verified: 1,
      pendingDecision: 1,
      pendingVerification: 1,
    });
  });
});

describe('renderAccessReviewPdf', () => {
  it('lists every decision of a large campaign over numbered pages', () => {
    const items = Array.from({ length: 300 }, (_, i) =>
      item(i, i % 2 === 0 ? { decision: 'keep', decided_at: at, decided_by_label: 'rita' } : {}),
    );
    const pdf = readPdf(
      renderAccessReviewPdf({ campaign, systems: ['Orders database'], items, generatedAt: at }),
    );
    expect(pdf.pages.length).toBeGreaterThan(5);
    const text = pdf.pages.join('\n');
    for (let i = 0; i < 300; i++) expect(text).toContain(`user_${String(i)}\n`);
    expect(text).toContain('Interim report of an open campaign');
    expect(text).toContain("The account holder's manager");
    expect(pdf.pages.at(-1)).toContain(
      `Page ${String(pdf.pages.length)} of ${String(pdf.pages.length)}`,
    );
    // The title keeps its characters; the page text shows them in WinAnsi.
    expect(pdf.info.Title).toBe('Access review report: Q4 review of Zoë’s systems');
    expect(text).toContain('Access review report: Q4 review of Zoë’s systems');
  });

  it('says so when no account was in scope', () => {
    const text = readPdf(
      renderAccessReviewPdf({ campaign, systems: ['Empty app'], items: [], generatedAt: at }),
    ).pages.join('\n');
    expect(text).toContain('No account was in scope.');
  });
});
