import type { ManagementReviewDetail } from './management-reviews.service.ts';

function line(text: string): string {
  // Keep user text on one line of a list or table.
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** The review record as a Markdown document, for the evidence file or an auditor. */
export function renderReviewMarkdown(review: ManagementReviewDetail, orgName: string): string {
  const a = review.agenda;
  const out: string[] = [];
  out.push(`# ${line(review.title)}`, '');
  out.push(`- Organisation: ${line(orgName)}`);
  out.push(`- Meeting date: ${review.meetingOn}`);
  out.push(`- Status: ${review.status === 'held' ? 'held' : 'draft (not yet held)'}`);
  if (review.heldAt) {
    out.push(
      `- Recorded as held: ${review.heldAt}${review.heldBy ? ` by ${review.heldBy.name}` : ''}`,
    );
  }
  out.push(`- Agenda figures taken: ${a.builtAt}`);
  out.push('', '## Attendees', '');
  if (review.attendees.length === 0) out.push('None recorded.');
  for (const p of review.attendees)
    out.push(`- ${line(p.name)}${p.role ? ` — ${line(p.role)}` : ''}`);
  out.push('', '## Agenda', '');
  out.push(
    `### Readiness: ${String(a.readiness.percent)}% (${String(a.readiness.passing)} of ${String(a.readiness.total)} controls passing)`,
    '',
    '| Annex section | Passing | Total | Readiness |',
    '| --- | ---: | ---: | ---: |',
  );
  for (const s of a.sections) {
    out.push(
      `| ${String(s.section)}. ${line(s.title)} | ${String(s.passing)} | ${String(s.total)} | ${String(s.percent)}% |`,
    );
  }
  out.push('', `### Overdue evidence tasks: ${String(a.overdueTasks.count)}`, '');
  for (const t of a.overdueTasks.items) {
    out.push(
      `- ${line(t.title)} (${t.controlRef}), due ${t.dueOn}${t.owner ? `, ${line(t.owner)}` : ''}`,
    );
  }
  out.push('', `### Findings past their SLA: ${String(a.slaBreaches.count)}`, '');
  for (const [severity, n] of Object.entries(a.slaBreaches.bySeverity)) {
    out.push(`- ${severity}: ${String(n)}`);
  }
  out.push(
    '',
    `### Open high risks: ${a.openHighRisks.count === null ? 'not available' : String(a.openHighRisks.count)}`,
    '',
  );
  out.push(a.openHighRisks.note);
  out.push('', `### Incidents since ${a.sinceReviewOn ?? 'the start of the program'}`, '');
  out.push(a.incidents.count === null ? a.incidents.note : String(a.incidents.count));
  out.push(
    '',
    `### Open action items of earlier reviews: ${String(a.openActions.count)} (${String(a.openActions.overdue)} overdue)`,
    '',
  );
  for (const x of a.openActions.items) {
    out.push(
      `- ${line(x.title)}, due ${x.dueOn}${x.owner ? `, ${line(x.owner)}` : ''}${x.isOverdue ? ' — overdue' : ''}`,
    );
  }
  out.push(
    '',
    '## Minutes',
    '',
    review.minutes.trim() === '' ? 'None recorded.' : review.minutes.trim(),
  );
  out.push('', '## Decisions', '');
  if (review.decisions.length === 0) out.push('None recorded.');
  review.decisions.forEach((d, i) => out.push(`${String(i + 1)}. ${line(d)}`));
  out.push('', '## Action items', '');
  if (review.actions.length === 0) out.push('None recorded.');
  for (const x of review.actions) {
    out.push(
      `- [${x.status === 'done' ? 'x' : ' '}] ${line(x.title)} — ${x.owner ? line(x.owner.name) : 'no owner'}, due ${x.dueOn}, ${x.status}${x.isOverdue ? ' (overdue)' : ''}`,
    );
  }
  if (review.notes.length > 0) {
    out.push('', '## Notes added after the meeting', '');
    for (const n of review.notes) {
      out.push(`- ${n.createdAt}${n.author ? ` (${line(n.author.name)})` : ''}: ${line(n.body)}`);
    }
  }
  out.push('');
  return out.join('\n');
}
