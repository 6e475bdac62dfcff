import { describe, expect, it } from 'vitest';
import { buildSimilarityIndex, type SimilarityDocument } from './similarity.ts';

const controls: SimilarityDocument[] = [
  {
    id: 'AC-MFA',
    text:
      'Multi-factor authentication for administrators. Administrative and privileged access to ' +
      'production systems, cloud consoles and the identity provider requires a second factor ' +
      '(authenticator app or security key). Requirement: MFA is enforced for all accounts with ' +
      'elevated rights. Guidance: prefer phishing-resistant factors such as passkeys.',
  },
  {
    id: 'AC-REVIEW',
    text:
      'Periodic access reviews. System owners review user access and privileged roles every ' +
      'quarter and remove access that is no longer needed. Requirement: access rights are ' +
      'recertified at least quarterly. Guidance: keep the signed-off review as evidence.',
  },
  {
    id: 'CR-TRANSIT',
    text:
      'Encryption in transit. All connections carrying customer data use TLS 1.2 or higher with ' +
      'strong cipher suites; HTTP redirects to HTTPS and HSTS is set. Requirement: data is ' +
      'encrypted over public networks. Guidance: scan endpoints for weak protocols.',
  },
  {
    id: 'BC-BACKUP',
    text:
      'Backups and restore tests. Production databases are backed up daily to a separate ' +
      'account, backups are encrypted and kept for 35 days, and a restore is tested every ' +
      'quarter. Requirement: backup copies of information are maintained and tested.',
  },
  {
    id: 'VM-PENTEST',
    text:
      'Independent penetration testing. A qualified third party performs a penetration test of ' +
      'the application and infrastructure every year and after major changes; findings are ' +
      'tracked to remediation. Requirement: technical security testing by independent testers.',
  },
  {
    id: 'IR-PLAN',
    text:
      'Incident response plan. A documented plan defines roles, severity levels, escalation, ' +
      'communication and the steps of triage, containment, eradication and recovery; it is ' +
      'exercised yearly. Requirement: security incidents are managed through a defined process.',
  },
  {
    id: 'SR-SUBPROCESSOR',
    text:
      'Subprocessor due diligence. Vendors and subprocessors that handle customer data undergo a ' +
      'security and privacy review before onboarding and annually; contracts include data ' +
      'protection terms. Requirement: supplier relationships are assessed for information risk.',
  },
  {
    id: 'LM-LOGGING',
    text:
      'Centralized logging. Production systems send security-relevant events to a central log ' +
      'platform; logs are retained for one year and protected from tampering. Requirement: ' +
      'event logs recording user activities and exceptions are produced and kept.',
  },
  {
    id: 'HR-TRAINING',
    text:
      'Security awareness training. Personnel complete security awareness training at onboarding ' +
      'and every year, including phishing. Requirement: employees receive appropriate awareness ' +
      'education and regular updates of policies.',
  },
  {
    id: 'HR-SCREENING',
    text:
      'Background checks. Candidates undergo background screening before joining where permitted ' +
      'by law, proportionate to the role. Requirement: verification checks on all candidates ' +
      'for employment are carried out.',
  },
  {
    id: 'VM-SLA',
    text:
      'Vulnerability remediation SLA. Vulnerabilities found by scanners are triaged by severity ' +
      'and fixed within agreed timelines: critical in 7 days, high in 30 days. Requirement: ' +
      'technical vulnerabilities are evaluated and patched in a timely way.',
  },
  {
    id: 'CM-CHANGE',
    text:
      'Change management. Changes to production are requested, peer reviewed, tested and ' +
      'approved before deployment; emergency changes are reviewed afterwards. Requirement: ' +
      'changes to information processing facilities are controlled.',
  },
  {
    id: 'NS-SEGMENT',
    text:
      'Network segmentation. Production runs in isolated VPCs and subnets separated from ' +
      'corporate and development networks; security groups deny by default. Requirement: ' +
      'groups of information services are segregated in networks.',
  },
  {
    id: 'CR-KEYS',
    text:
      'Key management. Encryption keys are generated and stored in a managed KMS, access to keys ' +
      'is restricted and keys are rotated yearly. Requirement: rules for the effective use of ' +
      'cryptography, including key management, are defined and implemented.',
  },
  {
    id: 'DH-MINIMISE',
    text:
      'Data minimisation. Only the personal data needed for the stated purpose is collected and ' +
      'processed, and fields that are not needed are not ingested. Requirement: processing of ' +
      'PII is limited to what is adequate and relevant to the identified purposes.',
  },
];

const index = buildSimilarityIndex(controls);

function firstId(query: string): string | undefined {
  return index.rank(query, 1)[0]?.id;
}

describe('buildSimilarityIndex', () => {
  it.each([
    ['Two-factor auth is required for privileged accounts', 'AC-MFA'],
    ['MFA for administrative access and privileged systems', 'AC-MFA'],
    ['We test restoring from backups', 'BC-BACKUP'],
    ['TLS 1.2+ for all traffic', 'CR-TRANSIT'],
    ['Encryption in transit using industry-standard TLS', 'CR-TRANSIT'],
    ['third parties that process data are vetted', 'SR-SUBPROCESSOR'],
    ['Security and privacy diligence for key subprocessors', 'SR-SUBPROCESSOR'],
    ['Periodic access reviews for privileged roles', 'AC-REVIEW'],
    ['User permissions are recertified every three months', 'AC-REVIEW'],
    ['An outside firm pentests the product annually', 'VM-PENTEST'],
    ['Documented incident response plan, including roles, escalation', 'IR-PLAN'],
    ['Breaches are handled through a defined process with containment', 'IR-PLAN'],
    ['Centralized logging for key production systems', 'LM-LOGGING'],
    ['Audit trails are kept for twelve months', 'LM-LOGGING'],
    ['Staff complete security awareness training every year', 'HR-TRAINING'],
    ['Background screening for personnel where permitted by law', 'HR-SCREENING'],
    ['Critical vulns are patched within a week', 'VM-SLA'],
    ['Remediation based on severity and risk', 'VM-SLA'],
    ['Change management controls for production deployments', 'CM-CHANGE'],
    ['Segmented network architecture for production environments', 'NS-SEGMENT'],
    ['Secure key management practices (e.g., managed KMS/HSM where applicable)', 'CR-KEYS'],
    ['HSM-backed keys are rotated', 'CR-KEYS'],
    ['We only collect the PII we need', 'DH-MINIMISE'],
    ['Data minimization and purpose limitation aligned with service delivery', 'DH-MINIMISE'],
  ])('ranks the right control first for "%s"', (query, expected) => {
    expect(firstId(query)).toBe(expected);
  });

  it.each([
    ['single sign-on', 'sso'],
    ['joiners, movers and leavers', 'jml'],
    ['disaster recovery', 'dr'],
    ['business continuity plan', 'bcp'],
    ['data processing agreement', 'dpa'],
    ['DDoS protection', 'ddos'],
    ['penetration testing', 'pentest'],
    ['PII', 'pii'],
    ['RBAC', 'rbac'],
    ['secure development lifecycle', 'sdlc'],
    ['vuln management', 'vulns'],
    ['HSM', 'kms'],
    ['2FA', 'mfa'],
    ['suppliers', 'vendors'],
  ])('expands abbreviations and synonyms: "%s" finds %s', (query, expected) => {
    const glossary = buildSimilarityIndex([
      { id: 'sso', text: 'Employees sign in through SSO.' },
      { id: 'jml', text: 'The JML process covers every access change.' },
      { id: 'dr', text: 'DR exercises run every year.' },
      { id: 'bcp', text: 'The BCP is approved by the board.' },
      { id: 'dpa', text: 'Obligations follow the DPA.' },
      { id: 'ddos', text: 'A scrubbing service absorbs denial-of-service attacks.' },
      { id: 'pentest', text: 'An outside firm runs a pentest every year.' },
      { id: 'pii', text: 'An inventory of personal data is kept.' },
      { id: 'rbac', text: 'Applications grant role-based access.' },
      { id: 'sdlc', text: 'Engineers follow the SDLC.' },
      { id: 'vulns', text: 'Vulnerabilities are tracked.' },
      { id: 'kms', text: 'Encryption keys live in a KMS.' },
      { id: 'mfa', text: 'Multi-factor authentication is enforced.' },
      { id: 'vendors', text: 'Subprocessors are listed publicly.' },
    ]);
    expect(glossary.rank(query, 1)[0]?.id).toBe(expected);
  });

  it('gives scores between 0 and 1, best first, within the limit', () => {
    const matches = index.rank('Multi-factor authentication for administrators', 20);
    expect(matches.length).toBeGreaterThan(1);
    expect(matches.length).toBeLessThanOrEqual(controls.length);
    for (const match of matches) {
      expect(match.score).toBeGreaterThan(0);
      expect(match.score).toBeLessThanOrEqual(1);
    }
    const scores = matches.map((match) => match.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    expect(matches[0]?.score).toBeGreaterThan(0.6);
    const broad = 'Access to production data is reviewed, logged and encrypted';
    expect(index.rank(broad, 3)).toHaveLength(3);
    expect(index.rank(broad)).toHaveLength(10);
  });

  it('scores a close paraphrase well above an unrelated control', () => {
    const matches = index.rank('MFA is enforced for admins', 20);
    const mfa = matches.find((match) => match.id === 'AC-MFA')?.score ?? 0;
    const training = matches.find((match) => match.id === 'HR-TRAINING')?.score ?? 0;
    expect(mfa).toBeGreaterThan(0.5);
    expect(mfa).toBeGreaterThan(training * 3);
  });

  it('orders ties by id and gives the same answer every time', () => {
    const twins = buildSimilarityIndex([
      { id: 'c', text: 'Backups are encrypted.' },
      { id: 'a', text: 'Backups are encrypted.' },
      { id: 'b', text: 'Backups are encrypted.' },
      { id: 'd', text: 'Firewall rules are reviewed.' },
    ]);
    const first = twins.rank('encrypted backups');
    expect(first.map((match) => match.id)).toEqual(['a', 'b', 'c']);
    expect(new Set(first.map((match) => match.score)).size).toBe(1);
    expect(twins.rank('encrypted backups')).toEqual(first);
  });

  it('returns nothing for an empty query, an empty index or no shared terms', () => {
    expect(index.rank('')).toEqual([]);
    expect(index.rank('the and of')).toEqual([]);
    expect(index.rank('banana smoothie recipe')).toEqual([]);
    expect(index.rank('backups', 0)).toEqual([]);
    expect(buildSimilarityIndex([]).rank('backups')).toEqual([]);
  });
});
