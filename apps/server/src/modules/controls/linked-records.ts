const versionStatusLabels: Record<string, string> = {
  draft: 'draft',
  in_review: 'in review',
  approved: 'approved',
  published: 'published',
  superseded: 'superseded',
  retired: 'retired',
};

const riskStatusLabels: Record<string, string> = {
  open: 'Open',
  accepted: 'Accepted',
  closed: 'Closed',
};

/** A linked policy as the control detail reads it. */
export interface LinkedPolicyStanding {
  retired_at: Date | null;
  published_number: number | null;
  latest_number: number | null;
  latest_status: string | null;
}

/** A policy's standing in words: its published version and any newer version in progress. */
export function describePolicyStatus(p: LinkedPolicyStanding): string {
  if (p.retired_at !== null) return 'Retired';
  if (p.latest_number === null) return 'No version yet';
  const latestStatus = p.latest_status ?? '';
  const latest = `v${String(p.latest_number)} ${versionStatusLabels[latestStatus] ?? latestStatus}`;
  if (p.published_number === null) return `Not published · ${latest}`;
  const published = `Published v${String(p.published_number)}`;
  return p.latest_number > p.published_number ? `${published} · ${latest}` : published;
}

/** A risk's standing in words: its register status and the score that counts today. */
export function describeRiskStatus(r: { status: string; score: number }): string {
  return `${riskStatusLabels[r.status] ?? r.status} · score ${String(r.score)}`;
}
