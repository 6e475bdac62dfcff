import type { ReferenceFramework } from './framework-references.ts';

/** One numbered section of the annex. */
export interface AnnexSection {
  number: number;
  title: string;
  summary: string;
}

/** One promise of the annex, stated as a testable requirement and mapped to reference frameworks. */
export interface AnnexRequirement {
  ref: string;
  section: number;
  title: string;
  text: string;
  guidance: string;
  references: { framework: ReferenceFramework; id: string }[];
}

/** A recurring piece of evidence work that proves a control, due every cadenceMonths. */
export interface DefaultTask {
  key: string;
  title: string;
  description: string;
  cadenceMonths: number;
  graceDays: number;
}

/** An automated check, reported by a module or an agent, that proves a control. */
export interface DefaultCheck {
  key: string;
  name: string;
  description: string;
}

/** What the company does to keep one or more annex requirements, with its tasks and checks. */
export interface DefaultControl {
  ref: string;
  section: number;
  title: string;
  description: string;
  requirementRefs: string[];
  tasks: DefaultTask[];
  checks: DefaultCheck[];
}

/** Identity of Steward's built-in framework. */
export const annexFramework: {
  key: 'steward-annex';
  name: 'Security measures annex';
  version: string;
  description: string;
} = {
  key: 'steward-annex',
  name: 'Security measures annex',
  version: '1.0',
  description:
    'The security measures a SaaS company commits to in its data processing agreements, ' +
    'written as testable requirements and mapped to SOC 2, ISO/IEC 27001:2022 Annex A and ' +
    'NIST CSF 2.0.',
};

/** The 13 sections of the annex, in order. */
export const annexSections: readonly AnnexSection[] = [
  {
    number: 1,
    title: 'Security governance',
    summary:
      'How the security program is directed and staffed: written policies, leadership oversight of risk, training and personnel screening.',
  },
  {
    number: 2,
    title: 'Access control',
    summary:
      'Who may reach production systems and Customer Data, how they prove who they are, and how access follows people as they join, move and leave.',
  },
  {
    number: 3,
    title: 'Encryption and key management',
    summary:
      'How Customer Data is encrypted in transit and at rest, and how encryption keys and application secrets are held and rotated.',
  },
  {
    number: 4,
    title: 'Network security',
    summary:
      'How production networks are separated, filtered and shielded from attack, and how administrative paths into them are restricted.',
  },
  {
    number: 5,
    title: 'Secure development',
    summary:
      'How code is written, reviewed, scanned and deployed so that every change reaching production is intended, reviewed and traceable.',
  },
  {
    number: 6,
    title: 'Vulnerability management',
    summary:
      'How weaknesses in code, infrastructure and devices are found, prioritized, fixed within deadlines and independently tested.',
  },
  {
    number: 7,
    title: 'Logging and monitoring',
    summary:
      'What is logged, who is alerted and when, how privileged actions are recorded, and how long logs are kept.',
  },
  {
    number: 8,
    title: 'Incident response',
    summary:
      'How security incidents are prepared for, handled from detection to recovery, and communicated to affected customers and authorities.',
  },
  {
    number: 9,
    title: 'Business continuity and disaster recovery',
    summary:
      'How data is backed up and restored, how the Service recovers from a disaster, and how it is built to stay available.',
  },
  {
    number: 10,
    title: 'Subprocessors and suppliers',
    summary:
      'How suppliers that handle Customer Data are vetted, bound by contract and monitored, and how customers learn of changes.',
  },
  {
    number: 11,
    title: 'Data handling and minimization',
    summary:
      'How the Service limits the Customer Data it takes in, uses it only for agreed purposes, keeps it no longer than needed and controls support access to it.',
  },
  {
    number: 12,
    title: 'Physical security',
    summary:
      'Physical protection of the infrastructure that runs the Service, inherited from its cloud providers and verified through their independent audits.',
  },
  {
    number: 13,
    title: 'Customer responsibilities',
    summary:
      'What each customer is responsible for under the shared-responsibility model; the company publishes these duties and gives customers the means to carry them out.',
  },
];

type ReferenceIds = Partial<Record<ReferenceFramework, string[]>>;

function mapTo(ids: ReferenceIds): AnnexRequirement['references'] {
  const frameworks: ReferenceFramework[] = ['soc2', 'iso27001', 'csf2'];
  return frameworks.flatMap((framework) => (ids[framework] ?? []).map((id) => ({ framework, id })));
}

/** The 45 requirements of the annex, in the order of the seed annex's measures. */
export const annexRequirements: readonly AnnexRequirement[] = [
  // 1 Security governance
  {
    ref: '1.1',
    section: 1,
    title: 'Reviewed security policies',
    text: 'Information security policies are written down, approved by an accountable executive, and reviewed, updated where needed and re-approved at least every 12 months.',
    guidance:
      'Each policy has an owner, a version history and an approval no older than 12 months; Steward shows the approver and date of each version. Personnel acknowledge the current version of every policy that applies to them. The check policies.reviews_current fails as soon as any policy passes its review date.',
    references: mapTo({
      soc2: ['CC5.3', 'CC2.2'],
      iso27001: ['A.5.1', 'A.5.37'],
      csf2: ['GV.PO-01', 'GV.PO-02'],
    }),
  },
  {
    ref: '1.2',
    section: 1,
    title: 'Executive oversight of security and risk',
    text: 'A named executive is accountable for the security program, and leadership reviews program status and the security risk register at least twice a year, recording its decisions on risk treatment and acceptance.',
    guidance:
      'Evidence is the minutes of each management review (attendees, program metrics, risks discussed, decisions and owners). The risk register gives every risk an owner, a rating from the documented method and either a treatment plan or an executive-signed acceptance with an expiry. The risk assessment is redone at least annually and after major changes to the business or the Service.',
    references: mapTo({
      soc2: ['CC1.2', 'CC1.3', 'CC3.2', 'CC3.4'],
      iso27001: ['A.5.2', 'A.5.4'],
      csf2: ['GV.RR-01', 'GV.RR-02', 'GV.OV-01', 'ID.RA-05', 'ID.RA-06'],
    }),
  },
  {
    ref: '1.3',
    section: 1,
    title: 'Security awareness training',
    text: 'Everyone with access to company systems completes security awareness training within 30 days of starting and again at least every 12 months; engineers also complete secure development training every 12 months.',
    guidance:
      'Training records show, per person, the course, its version and the completion date. The check training.completion compares active personnel in the people directory with completions and lists everyone overdue, including joiners past 30 days. Course content is reviewed each year so it reflects current threats such as phishing and credential theft.',
    references: mapTo({
      soc2: ['CC1.4', 'CC2.2'],
      iso27001: ['A.6.3'],
      csf2: ['PR.AT-01', 'PR.AT-02'],
    }),
  },
  {
    ref: '1.4',
    section: 1,
    title: 'Background screening',
    text: 'Before they receive access to Customer Data or production systems, new personnel pass background checks proportionate to their role, as far as local law allows, and the outcome is recorded.',
    guidance:
      'The people directory records each person’s screening type, date and outcome, never the report itself. The check people.screening_complete compares people holding production or Customer Data access with completed screenings; every gap needs a documented reason, such as a jurisdiction that forbids the check. HR audits the quarter’s new hires each quarter.',
    references: mapTo({
      soc2: ['CC1.4'],
      iso27001: ['A.6.1'],
      csf2: ['GV.RR-04'],
    }),
  },

  // 2 Access control
  {
    ref: '2.1',
    section: 2,
    title: 'Least privilege through roles',
    text: 'Access to production systems and Customer Data is granted only through defined roles carrying the minimum permissions needed, on documented approval of a business need, and elevated production access is temporary.',
    guidance:
      'Each in-scope system has an owner and a role catalogue in the systems inventory, and every grant links to an approved request. Cloud and database permissions come from roles defined in infrastructure code rather than ad-hoc grants, and standing administrators are a short, justified list. Just-in-time elevations record who elevated, why and for how long.',
    references: mapTo({
      soc2: ['CC6.1', 'CC6.3'],
      iso27001: ['A.5.15', 'A.8.2', 'A.8.3'],
      csf2: ['PR.AA-05'],
    }),
  },
  {
    ref: '2.2',
    section: 2,
    title: 'Individual accounts',
    text: 'Every person uses an account assigned to them alone; personnel never share administrator accounts, and each service or emergency account has a named owner and is used only for its stated purpose.',
    guidance:
      'Accounts on each in-scope system are matched to people in the people directory; an unmatched account must be a registered service account with an owner, or it is removed. The check identity.shared_accounts_absent lists accounts not tied to exactly one person or owned service. Break-glass credentials are sealed, their use raises an alert, and they are rotated after each use.',
    references: mapTo({
      soc2: ['CC6.1', 'CC6.2'],
      iso27001: ['A.5.16', 'A.5.17'],
      csf2: ['PR.AA-01'],
    }),
  },
  {
    ref: '2.3',
    section: 2,
    title: 'Multi-factor authentication for privileged access',
    text: 'Multi-factor authentication is required for all administrative access and for every system that gives access to production or Customer Data; any exception is approved, recorded and time-limited.',
    guidance:
      'The identity provider enforces MFA for every workforce sign-in, with phishing-resistant factors for administrators; systems outside single sign-on and cloud root accounts enforce MFA themselves. Automated checks read the identity provider, the cloud accounts and Steward itself and list every administrator without MFA. Open exceptions are listed with their expiry and reviewed quarterly.',
    references: mapTo({
      soc2: ['CC6.1'],
      iso27001: ['A.8.5'],
      csf2: ['PR.AA-03'],
    }),
  },
  {
    ref: '2.4',
    section: 2,
    title: 'Joiner, mover and leaver process',
    text: 'Access is provisioned from an approved request when a person joins, adjusted when their role changes, and revoked on every system within one business day of their departure.',
    guidance:
      'The HR system or identity provider feeds joins, role changes and departures to Steward (for example over SCIM), and each event produces a tracked provisioning or deprovisioning record. The check people.leavers_deprovisioned compares departed people with active accounts on connected systems and flags any account still active after one business day. A quarterly sample audit confirms approvals and timings.',
    references: mapTo({
      soc2: ['CC6.2', 'CC6.3'],
      iso27001: ['A.5.16', 'A.5.18', 'A.6.5'],
      csf2: ['PR.AA-01', 'PR.AA-05'],
    }),
  },
  {
    ref: '2.5',
    section: 2,
    title: 'Privileged access reviews',
    text: 'System owners review privileged and production access at least every three months, keep or revoke each grant with a recorded decision, and revocations are carried out on the system.',
    guidance:
      'Each review campaign records the reviewer, every account reviewed, each decision and its date, and revocations are verified against the system afterwards. The check access_reviews.completed fails when an in-scope system has no completed review in the last quarter. Nobody may approve their own access.',
    references: mapTo({
      soc2: ['CC6.2', 'CC6.3'],
      iso27001: ['A.5.18', 'A.8.2'],
      csf2: ['PR.AA-05'],
    }),
  },

  // 3 Encryption and key management
  {
    ref: '3.1',
    section: 3,
    title: 'Encryption in transit',
    text: 'Customer Data crossing public networks is encrypted with TLS 1.2 or later using current cipher suites, and unencrypted connections are redirected or refused.',
    guidance:
      'The check tls.endpoints_valid connects to every registered public endpoint and verifies the protocol versions offered, the certificate chain and hostname, and HSTS. Certificates renew automatically and their expiry is monitored. Connections between internal services and to databases use TLS where the platform supports it, as declared in infrastructure code.',
    references: mapTo({
      soc2: ['CC6.7'],
      iso27001: ['A.8.24', 'A.5.14'],
      csf2: ['PR.DS-02'],
    }),
  },
  {
    ref: '3.2',
    section: 3,
    title: 'Encryption at rest',
    text: 'Production databases, disks, object storage and backups that hold Customer Data are encrypted at rest with AES-256 or an equivalent algorithm wherever the storage service supports it.',
    guidance:
      'Infrastructure-code and cloud-configuration checks confirm encryption on every production database, volume, bucket and snapshot, and list any resource without it. Where a service cannot encrypt at rest, the exception and its compensating safeguard are recorded and reviewed yearly.',
    references: mapTo({
      soc2: ['CC6.1'],
      iso27001: ['A.8.24'],
      csf2: ['PR.DS-01'],
    }),
  },
  {
    ref: '3.3',
    section: 3,
    title: 'Key management',
    text: 'Encryption keys are generated and held in a managed key service or HSM, only defined roles may use or administer them, every key operation is logged, and keys are rotated on a documented schedule.',
    guidance:
      'Key service configuration shows automatic rotation, at least yearly, on keys that protect Customer Data, and key policies grant use only to named service roles. Key administration and use appear in the cloud audit trail. A yearly review confirms who can administer each key.',
    references: mapTo({
      soc2: ['CC6.1'],
      iso27001: ['A.8.24'],
      csf2: ['PR.DS-01', 'PR.AA-05'],
    }),
  },
  {
    ref: '3.4',
    section: 3,
    title: 'Secrets management',
    text: 'Application secrets and credentials are kept in a managed secret store, never in source code or configuration files, and are rotated on the schedule set by policy and immediately after suspected exposure.',
    guidance:
      'Secret scanning with push protection runs on every repository and blocks commits that contain credentials; anything that slips through is handled as a vulnerability. The check secrets.rotation_age lists secrets older than their policy maximum. A rotation after a leak is recorded against the incident.',
    references: mapTo({
      soc2: ['CC6.1'],
      iso27001: ['A.5.17', 'A.8.24'],
      csf2: ['PR.AA-01'],
    }),
  },

  // 4 Network security
  {
    ref: '4.1',
    section: 4,
    title: 'Segmented production network',
    text: 'Production runs in networks or cloud accounts separated from corporate, development and staging environments, and traffic between them is denied unless a documented rule allows it.',
    guidance:
      'A current network diagram shows each environment, its boundaries and the allowed flows. Infrastructure-code and cloud checks confirm production sits in its own accounts or virtual networks with no open route or peering from non-production. The architecture is reviewed yearly and after significant changes.',
    references: mapTo({
      soc2: ['CC6.1', 'CC6.6'],
      iso27001: ['A.8.22'],
      csf2: ['PR.IR-01', 'ID.AM-03'],
    }),
  },
  {
    ref: '4.2',
    section: 4,
    title: 'Restrictive firewall rules',
    text: 'Firewall rules and security groups allow only the ports, protocols and sources each production service needs, inbound and outbound, and are managed as reviewed code.',
    guidance:
      'Rules live in infrastructure code, so every change passes peer review. The check cloud.security_groups_restricted lists any rule open to the whole internet other than public web ports on load balancers. Rules are reviewed at least every six months and unused ones are removed.',
    references: mapTo({
      soc2: ['CC6.6'],
      iso27001: ['A.8.20', 'A.8.21'],
      csf2: ['PR.IR-01', 'PR.PS-01'],
    }),
  },
  {
    ref: '4.3',
    section: 4,
    title: 'DDoS protection and traffic filtering',
    text: 'Internet-facing endpoints of the Service are served through DDoS protection and request filtering, such as a CDN or web application firewall with rate limits.',
    guidance:
      'Configuration evidence shows every public hostname routed through the protection layer with filtering rules active, and the check edge.protection_enabled confirms origins refuse direct connections so the layer cannot be bypassed. Firewall rules and rate limits are reviewed yearly and after any attack.',
    references: mapTo({
      soc2: ['CC6.6', 'A1.1'],
      iso27001: ['A.8.20', 'A.8.21'],
      csf2: ['PR.IR-01', 'PR.IR-03'],
    }),
  },
  {
    ref: '4.4',
    section: 4,
    title: 'Restricted administrative interfaces',
    text: 'Administrative interfaces such as cloud consoles, SSH, database ports and internal admin tools are reachable only from approved networks or through an authenticated access gateway, and always require MFA.',
    guidance:
      'The check network.admin_ports_not_exposed scans public addresses and cloud rules for exposed administrative ports (SSH, RDP, database, cache and orchestrator APIs). Shell and database sessions go through a bastion, session manager or zero-trust proxy that enforces single sign-on with MFA and records each session. Internal admin tools sit behind single sign-on.',
    references: mapTo({
      soc2: ['CC6.1', 'CC6.6'],
      iso27001: ['A.8.5', 'A.8.20'],
      csf2: ['PR.AA-03', 'PR.IR-01'],
    }),
  },

  // 5 Secure development
  {
    ref: '5.1',
    section: 5,
    title: 'Secure coding and peer review',
    text: 'Engineers follow documented secure coding guidelines, and every change to production code is reviewed and approved by someone other than its author before it is merged.',
    guidance:
      'Branch protection on every production repository requires an approving review from another person and passing checks; the check code.branch_protection_enabled reads these settings from the code host. Merge history shows the review trail for any sampled change. The guidelines are reviewed yearly and taught in engineer training.',
    references: mapTo({
      soc2: ['CC8.1'],
      iso27001: ['A.8.25', 'A.8.28', 'A.8.4'],
      csf2: ['PR.PS-06'],
    }),
  },
  {
    ref: '5.2',
    section: 5,
    title: 'Automated dependency and code scanning',
    text: 'Every production repository is scanned automatically for vulnerable dependencies and insecure code on each change, and the findings are routed into vulnerability management.',
    guidance:
      'CI pipelines run dependency and static analysis scans and upload the results (SARIF or CycloneDX) to Steward. The check vulnerabilities.dependency_scan_recent fails for any production repository without a scan in the last 7 days. New critical findings fail the build.',
    references: mapTo({
      soc2: ['CC7.1', 'CC8.1'],
      iso27001: ['A.8.8', 'A.8.29'],
      csf2: ['ID.RA-01', 'PR.PS-06'],
    }),
  },
  {
    ref: '5.3',
    section: 5,
    title: 'Separate environments',
    text: 'Development, staging and production are separate environments with separate access and credentials, and production Customer Data is not used outside production unless approved and protected to production standards.',
    guidance:
      'Each environment has its own cloud account or project, secrets and access groups, which a check confirms from the cloud inventory. Test data is synthetic or masked; any approved copy of production data elsewhere is recorded with an expiry. Engineers have no production access by default.',
    references: mapTo({
      soc2: ['CC8.1', 'C1.1'],
      iso27001: ['A.8.31', 'A.8.33'],
      csf2: ['PR.IR-01'],
    }),
  },
  {
    ref: '5.4',
    section: 5,
    title: 'Production change management',
    text: 'Changes reach production only through an automated deployment pipeline that records what changed, who approved it and when; emergency changes are reviewed and approved retrospectively within five business days.',
    guidance:
      'Deployment records link each production release to its reviewed commits and its pipeline run. Changes made outside the pipeline are detected from the cloud audit trail and listed as exceptions. Each emergency change carries a ticket with its retrospective approval.',
    references: mapTo({
      soc2: ['CC8.1'],
      iso27001: ['A.8.32', 'A.8.9'],
      csf2: ['PR.PS-01', 'ID.RA-07'],
    }),
  },

  // 6 Vulnerability management
  {
    ref: '6.1',
    section: 6,
    title: 'Vulnerability scanning',
    text: 'Production hosts, container images, cloud configuration and public endpoints are scanned for known vulnerabilities at least weekly, and every finding is recorded in one tracked inventory.',
    guidance:
      'Scanner results are imported into Steward, deduplicated, and given an owner and a due date. Checks fail when any asset class has no scan result in the last 7 days. A published security contact (security.txt) lets outside researchers report issues, which join the same inventory.',
    references: mapTo({
      soc2: ['CC7.1'],
      iso27001: ['A.8.8'],
      csf2: ['ID.RA-01', 'ID.RA-08'],
    }),
  },
  {
    ref: '6.2',
    section: 6,
    title: 'Remediation by severity',
    text: 'Vulnerabilities are fixed within deadlines set by severity and exploitability (by default 7 days for critical, 30 for high, 90 for medium and 180 for low), and a missed deadline requires a documented, time-limited risk acceptance.',
    guidance:
      'Each finding carries a severity, an owner and a due date derived from the deadlines. The check vulnerabilities.sla_breaches lists open findings past due without a current risk acceptance. Risk acceptances name their approver and expire, and open findings are reviewed monthly.',
    references: mapTo({
      soc2: ['CC7.1', 'CC3.2'],
      iso27001: ['A.8.8'],
      csf2: ['ID.RA-05', 'ID.RA-06'],
    }),
  },
  {
    ref: '6.3',
    section: 6,
    title: 'Patch management',
    text: 'Operating systems, runtimes, managed services and third-party software under the company’s control stay on vendor-supported versions and receive security patches on a defined schedule, and end-of-life components are tracked until replaced.',
    guidance:
      'Hosts and containers are rebuilt from patched base images or updated automatically, and company laptops must have current OS updates to reach company systems. The check sbom.end_of_life_components lists production components past their end of support. A quarterly review covers outstanding upgrades and their plans.',
    references: mapTo({
      soc2: ['CC7.1', 'CC6.8'],
      iso27001: ['A.8.8', 'A.8.19', 'A.8.1'],
      csf2: ['PR.PS-02', 'PR.PS-03'],
    }),
  },
  {
    ref: '6.4',
    section: 6,
    title: 'Independent penetration testing',
    text: 'A qualified independent tester performs a penetration test of the Service’s application and infrastructure at least every 12 months and after major architectural changes, and the findings are tracked to closure under the remediation deadlines.',
    guidance:
      'Evidence is the engagement letter, the scope and the tester’s report, with each finding imported as a tracked vulnerability. The check vulnerabilities.pentest_recent fails when the last completed test is older than 12 months. A retest or remediation evidence closes each critical and high finding.',
    references: mapTo({
      soc2: ['CC4.1', 'CC7.1'],
      iso27001: ['A.8.8', 'A.8.29'],
      csf2: ['ID.RA-01', 'ID.IM-02'],
    }),
  },

  // 7 Logging and monitoring
  {
    ref: '7.1',
    section: 7,
    title: 'Central logging',
    text: 'Security-relevant logs from production systems, cloud control planes and the identity provider are collected on a central log platform whose access is limited to authorized personnel.',
    guidance:
      'A log source inventory lists each production system and whether it reports; the check logging.sources_reporting flags any source silent for more than 24 hours. Cloud audit logging is enabled in every account and region. Clocks are synchronized so events from different systems can be correlated.',
    references: mapTo({
      soc2: ['CC7.2'],
      iso27001: ['A.8.15', 'A.8.17'],
      csf2: ['PR.PS-04', 'DE.AE-03'],
    }),
  },
  {
    ref: '7.2',
    section: 7,
    title: 'Monitoring and alerting',
    text: 'Automated alerts detect suspicious activity and availability problems in production, reach an on-call responder at any hour, and are acknowledged and triaged within defined targets.',
    guidance:
      'Alert rules cover at least authentication anomalies, privilege changes, disabled logging, malware or intrusion detections, error rates and uptime. Evidence is the rule set, the on-call schedule and acknowledgement times over a sample period. Rules are reviewed every six months for gaps and noise.',
    references: mapTo({
      soc2: ['CC7.2', 'CC7.3'],
      iso27001: ['A.8.16'],
      csf2: ['DE.CM-01', 'DE.CM-09', 'DE.AE-02', 'DE.AE-06'],
    }),
  },
  {
    ref: '7.3',
    section: 7,
    title: 'Audit trail of privileged operations',
    text: 'Privileged operations (administrative actions, permission and configuration changes, and access to Customer Data) are logged with who, what, when and from where, in logs the actors cannot alter or delete.',
    guidance:
      'Cloud audit trails, database audit logs and application admin logs are delivered to write-once or integrity-validated storage that administrators of the source system cannot modify. Steward’s own hash-chained audit log is verified continuously by the check steward.audit_chain_intact. A sample of privileged actions is reviewed every quarter.',
    references: mapTo({
      soc2: ['CC7.2', 'CC6.1'],
      iso27001: ['A.8.15', 'A.8.2'],
      csf2: ['PR.PS-04', 'DE.CM-03'],
    }),
  },
  {
    ref: '7.4',
    section: 7,
    title: 'Log retention',
    text: 'Security and audit logs are retained for at least 12 months, with at least the most recent 90 days immediately searchable, and are deleted when the retention period ends unless under legal hold.',
    guidance:
      'Retention settings on the log platform, cloud audit trails and archives are compared with the policy, and the check logging.retention_configured lists any store set to a different period. A yearly review confirms the periods still meet contractual and legal needs.',
    references: mapTo({
      soc2: ['CC7.2'],
      iso27001: ['A.8.15', 'A.5.33'],
      csf2: ['PR.PS-04'],
    }),
  },

  // 8 Incident response
  {
    ref: '8.1',
    section: 8,
    title: 'Incident response plan',
    text: 'A documented incident response plan defines severity levels, roles, escalation paths and internal and external communication, and is reviewed and exercised at least every 12 months.',
    guidance:
      'Evidence is the current approved plan, the on-call and escalation roster, and the record of the yearly tabletop exercise with its lessons and follow-up actions. Personnel know how to report a suspected incident through a published channel.',
    references: mapTo({
      soc2: ['CC7.3', 'CC7.4'],
      iso27001: ['A.5.24', 'A.6.8'],
      csf2: ['ID.IM-04', 'RS.MA-01', 'RS.MA-04'],
    }),
  },
  {
    ref: '8.2',
    section: 8,
    title: 'Incident tracking and handling',
    text: 'Every suspected security incident is recorded and worked through triage, containment, eradication and recovery with a timestamped timeline, and each high-severity incident ends with a root-cause review whose actions are tracked to closure.',
    guidance:
      'Steward’s incident records show each incident’s phases, roles, timeline and decisions, with evidence preserved by hash. High and critical incidents get a post-incident review within 10 business days, and the check incidents.actions_on_track lists follow-up actions past due. A quarterly review looks at open incidents and trends.',
    references: mapTo({
      soc2: ['CC7.3', 'CC7.4', 'CC7.5'],
      iso27001: ['A.5.25', 'A.5.26', 'A.5.27', 'A.5.28'],
      csf2: ['DE.AE-08', 'RS.MA-02', 'RS.MA-03', 'RS.MI-01', 'RS.MI-02', 'RS.AN-03'],
    }),
  },
  {
    ref: '8.3',
    section: 8,
    title: 'Customer and regulator notification',
    text: 'When an incident affects Customer Data, the affected customers, and regulators where the law requires, are notified within the contractual and legal deadlines with the facts known, the likely impact and the measures taken, and are kept updated until closure.',
    guidance:
      'Each incident affecting Customer Data records the confirmation time, the deadline that applies to each customer and every notice sent, with delivery records. The check incidents.notifications_on_time lists notices sent late or still outstanding. Templates and customer security contacts are reviewed yearly.',
    references: mapTo({
      soc2: ['CC2.3', 'CC7.4', 'P6.6'],
      iso27001: ['A.5.26', 'A.5.5'],
      csf2: ['RS.CO-02', 'RS.CO-03', 'RC.CO-03'],
    }),
  },

  // 9 Business continuity and disaster recovery
  {
    ref: '9.1',
    section: 9,
    title: 'Backups and restore tests',
    text: 'Production data needed to run the Service is backed up automatically at least daily, backups are encrypted and kept in a separate account or region, and a restore is tested every month.',
    guidance:
      'The check backups.recent_success fails when a critical data store has no successful backup in the last 24 hours. Each monthly restore test records what was restored, how long it took and how the data was verified. Backup copies are protected from deletion by production administrators.',
    references: mapTo({
      soc2: ['A1.2', 'A1.3'],
      iso27001: ['A.8.13'],
      csf2: ['PR.DS-11', 'RC.RP-03'],
    }),
  },
  {
    ref: '9.2',
    section: 9,
    title: 'Disaster recovery plan and tests',
    text: 'A disaster recovery plan sets recovery time and recovery point objectives for each critical system and describes how to restore service; it is tested at least every 12 months and the gaps found are fixed.',
    guidance:
      'Evidence is the plan with RTO and RPO per critical system, the yearly test report comparing achieved recovery times with the objectives, and tracked actions for every gap. The plan is re-approved after each test and after major architecture changes.',
    references: mapTo({
      soc2: ['A1.3', 'CC7.5', 'CC9.1'],
      iso27001: ['A.5.29', 'A.5.30'],
      csf2: ['RC.RP-01', 'RC.RP-05', 'ID.IM-02'],
    }),
  },
  {
    ref: '9.3',
    section: 9,
    title: 'High availability and capacity',
    text: 'Production services run across multiple availability zones with health checks and automatic failover where the architecture allows, and capacity is monitored and planned against demand.',
    guidance:
      'Infrastructure code shows multi-zone deployment of databases, load balancers and application tiers, and the check cloud.multi_zone_data_stores lists single-zone production data stores. Capacity dashboards with alert thresholds and a quarterly capacity review show that headroom is kept.',
    references: mapTo({
      soc2: ['A1.1', 'A1.2'],
      iso27001: ['A.8.14', 'A.8.6'],
      csf2: ['PR.IR-03', 'PR.IR-04'],
    }),
  },

  // 10 Subprocessors and suppliers
  {
    ref: '10.1',
    section: 10,
    title: 'Supplier due diligence',
    text: 'Before a subprocessor or critical supplier receives Customer Data, and at least every 12 months afterwards, its security and privacy posture is assessed and the result is recorded with a risk rating.',
    guidance:
      'The vendor registry lists every supplier with the data it reaches, its criticality and its last assessment. Evidence is the reviewed SOC 2 report, ISO/IEC 27001 certificate or questionnaire and the reviewer’s conclusion, including the complementary controls the company must operate. The check vendors.assessments_current lists critical suppliers whose assessment or certificate has lapsed.',
    references: mapTo({
      soc2: ['CC9.2'],
      iso27001: ['A.5.19', 'A.5.21', 'A.5.22'],
      csf2: ['GV.SC-04', 'GV.SC-06', 'GV.SC-07', 'ID.RA-10'],
    }),
  },
  {
    ref: '10.2',
    section: 10,
    title: 'Contractual safeguards',
    text: 'Each subprocessor handling Customer Data is bound by a written agreement covering confidentiality, data protection, security measures, breach notification and the return or deletion of data when the service ends.',
    guidance:
      'The vendor registry links each subprocessor to its signed data processing agreement and records the breach-notification period it promises; the check vendors.dpa_signed lists subprocessors without one. Legal reviews the standard supplier terms yearly.',
    references: mapTo({
      soc2: ['CC9.2', 'P6.4', 'P6.5'],
      iso27001: ['A.5.20'],
      csf2: ['GV.SC-05', 'GV.SC-10'],
    }),
  },
  {
    ref: '10.3',
    section: 10,
    title: 'Subprocessor change notice',
    text: 'The public list of subprocessors is kept current, and customers are told of a new or replaced subprocessor before it receives their data, within the advance-notice period of the data processing agreement and with a way to object.',
    guidance:
      'The trust center publishes the list straight from the vendor registry, so the two cannot drift apart. Each change notice records its publication and effective dates, the subscribers notified and any objections; the check subprocessors.notice_period_respected fails when a subprocessor began processing before its notice period ended.',
    references: mapTo({
      soc2: ['CC2.3', 'CC9.2'],
      iso27001: ['A.5.22'],
      csf2: ['GV.OC-03', 'GV.SC-07'],
    }),
  },

  // 11 Data handling and minimization
  {
    ref: '11.1',
    section: 11,
    title: 'Customer controls over processing',
    text: 'The Service gives customers settings to limit the data it ingests and processes (for example which sources, datasets or fields are connected and which features run on them), and processing honors those settings.',
    guidance:
      'Product documentation describes each setting and its effect, and automated tests in the Service’s release pipeline verify that excluded data is not ingested. Changes to these settings appear in the audit log the customer can see.',
    references: mapTo({
      soc2: ['C1.1', 'P3.1'],
      iso27001: ['A.5.34', 'A.8.11'],
      csf2: ['GV.OC-03'],
    }),
  },
  {
    ref: '11.2',
    section: 11,
    title: 'Minimization and purpose limitation',
    text: 'Customer Data is collected and used only to provide the Service as agreed; each category is recorded in a data inventory with its purpose and retention period, and data is deleted when that period ends or the contract ends.',
    guidance:
      'Records of processing list each data category, its purpose, the systems and subprocessors holding it and its retention period. Deletion jobs enforce the periods and log their runs, and the check data.retention_enforced lists stores keeping data beyond its period. Deletion after termination is confirmed to the customer on request.',
    references: mapTo({
      soc2: ['P3.1', 'P4.1', 'P4.2', 'P4.3', 'C1.2'],
      iso27001: ['A.5.34', 'A.8.10', 'A.5.9'],
      csf2: ['ID.AM-07', 'GV.OC-03'],
    }),
  },
  {
    ref: '11.3',
    section: 11,
    title: 'Controlled support access',
    text: 'Personnel access Customer Data for support only when a ticket justifies it, with time-limited approval from a designated approver (or from the customer where the product supports it), and every access is logged and reviewable.',
    guidance:
      'Support access is granted just in time, records the reason, approver and expiry, and ends automatically. Checks confirm that no grant started without approval and none outlived its expiry. Access logs are reviewed quarterly and given to the customer on request.',
    references: mapTo({
      soc2: ['CC6.1', 'CC6.3', 'C1.1'],
      iso27001: ['A.8.3', 'A.8.2'],
      csf2: ['PR.AA-05', 'DE.CM-03'],
    }),
  },

  // 12 Physical security
  {
    ref: '12.1',
    section: 12,
    title: 'Inherited physical controls',
    text: 'The Service is hosted only with cloud providers whose data centers hold current independent attestations (SOC 2 Type II or ISO/IEC 27001) covering facility access, monitoring and environmental protection, and the company obtains and reviews those attestations at least every 12 months.',
    guidance:
      'Evidence is each hosting provider’s current report or certificate with the review date, the reviewer’s conclusion and the complementary customer controls noted. The check vendors.hosting_attestations_current fails when a provider’s attestation period has lapsed. The company runs no production systems in its own offices.',
    references: mapTo({
      soc2: ['CC6.4', 'CC6.5', 'A1.2'],
      iso27001: ['A.7.1', 'A.7.2', 'A.7.4', 'A.7.5', 'A.7.11', 'A.7.14', 'A.5.23'],
      csf2: ['PR.AA-06', 'PR.IR-02', 'DE.CM-02'],
    }),
  },

  // 13 Customer responsibilities
  {
    ref: '13.1',
    section: 13,
    title: 'Customer access configuration',
    text: 'The customer configures access to its account of the Service: it assigns roles and permissions to its users, enables single sign-on and MFA where available, and removes users who no longer need access.',
    guidance:
      'The company’s part is proven by the published shared-responsibility matrix and by product documentation for single sign-on (SAML or OpenID Connect), MFA, roles and user provisioning. Customers can export their user list and audit log to run their own access reviews.',
    references: mapTo({
      soc2: ['CC2.3', 'CC6.2'],
      iso27001: ['A.5.15', 'A.8.5'],
      csf2: ['GV.SC-02', 'PR.AA-05'],
    }),
  },
  {
    ref: '13.2',
    section: 13,
    title: 'Customer credentials and connected systems',
    text: 'The customer keeps its passwords, API keys and tokens confidential, secures the systems it connects to the Service, and reports suspected compromise of credentials promptly.',
    guidance:
      'The company’s part is proven by the shared-responsibility matrix, documented scoping, expiry and revocation of API keys, and a published channel for reporting compromise. Customers can see and revoke their active keys and sessions in the product.',
    references: mapTo({
      soc2: ['CC2.3'],
      iso27001: ['A.5.17'],
      csf2: ['GV.SC-02', 'PR.AA-01'],
    }),
  },
  {
    ref: '13.3',
    section: 13,
    title: 'Lawful submission of Personal Data',
    text: 'The customer ensures it collects Personal Data lawfully, gives any notices and obtains any consents required, and is entitled to submit that data to the Service for processing.',
    guidance:
      'The company’s part is proven by the data processing agreement and terms of service stating this duty and by the shared-responsibility matrix in the trust center. Product documentation describes the Personal Data the Service processes so customers can complete their own records of processing.',
    references: mapTo({
      soc2: ['CC2.3', 'P2.1'],
      iso27001: ['A.5.31', 'A.5.34'],
      csf2: ['GV.SC-02', 'GV.OC-03'],
    }),
  },
];

/** The controls a new organization starts with, each proving one or more annex requirements. */
export const defaultControls: readonly DefaultControl[] = [
  // 1 Security governance
  {
    ref: 'GOV-01',
    section: 1,
    title: 'Information security policy set',
    description:
      'The security lead maintains a policy set (information security, acceptable use, access control, cryptography, secure development, vulnerability management, incident response, business continuity, supplier management and data retention), each with an owner and an executive approver. Every policy is reviewed and re-approved yearly or sooner after a material change, published internally, and acknowledged by each person it applies to at hire and on every new version.',
    requirementRefs: ['1.1'],
    tasks: [
      {
        key: 'policies.annual_review',
        title: 'Annual policy review',
        description:
          'Each policy owner compares the policy with current practice, threats and obligations, records the changes and obtains executive re-approval.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'policies.reviews_current',
        name: 'Policy reviews current',
        description: 'Every active policy has an approval dated within its review interval.',
      },
      {
        key: 'policies.acknowledgements_complete',
        name: 'Policy acknowledgements complete',
        description:
          'Every active person has acknowledged the current version of each policy that applies to them within 30 days of its publication or of their start date.',
      },
    ],
  },
  {
    ref: 'GOV-02',
    section: 1,
    title: 'Security program ownership and management review',
    description:
      'A named executive (typically the CTO) is accountable for the security program and a security lead runs it day to day, as written in the information security policy; every control has an owner. Leadership meets at least twice a year to review program metrics, open risks, incidents, audit results and resourcing, and the minutes record decisions and their owners.',
    requirementRefs: ['1.2'],
    tasks: [
      {
        key: 'governance.management_review',
        title: 'Management security review',
        description:
          'Leadership reviews program status, control health, the risk register, incidents and audit findings; the minutes with decisions and action owners are attached.',
        cadenceMonths: 6,
        graceDays: 21,
      },
    ],
    checks: [
      {
        key: 'controls.owners_assigned',
        name: 'Control owners assigned',
        description:
          'The program owner, the security lead and the owner of every control are active people.',
      },
    ],
  },
  {
    ref: 'GOV-03',
    section: 1,
    title: 'Risk assessment and risk register',
    description:
      'Security risks are assessed at least yearly and after major changes, using a documented likelihood-and-impact method, and kept in the risk register. Every risk has an owner, a rating and a treatment plan; accepting a risk above the agreed tolerance needs executive sign-off with an expiry date.',
    requirementRefs: ['1.2'],
    tasks: [
      {
        key: 'risks.annual_assessment',
        title: 'Annual risk assessment',
        description:
          'Reassess threats, weaknesses and business changes, update ratings and treatments in the register, and present the result to leadership.',
        cadenceMonths: 12,
        graceDays: 30,
      },
      {
        key: 'risks.register_review',
        title: 'Quarterly risk register review',
        description:
          'Risk owners update treatment progress; expiring acceptances are renewed with a reason or the risk is treated.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'risks.acceptances_current',
        name: 'Risk acceptances current',
        description: 'No risk acceptance in the register is past its expiry date.',
      },
      {
        key: 'risks.treatments_on_track',
        name: 'Risk treatments on track',
        description: 'No risk treatment action is past its due date.',
      },
    ],
  },
  {
    ref: 'GOV-04',
    section: 1,
    title: 'Security awareness and role-based training',
    description:
      'All personnel complete awareness training on phishing, credential hygiene, data handling and incident reporting within 30 days of joining and every year after. Engineers also complete yearly secure development training on common web vulnerabilities and the company’s coding guidelines. Overdue people are reminded and then escalated to their manager.',
    requirementRefs: ['1.3', '5.1'],
    tasks: [
      {
        key: 'training.annual_campaign',
        title: 'Annual awareness training campaign',
        description:
          'Refresh the course content, assign it to all active personnel and follow up until everyone has completed it.',
        cadenceMonths: 12,
        graceDays: 30,
      },
      {
        key: 'training.secure_development',
        title: 'Annual secure development training',
        description:
          'Assign updated secure development training to every engineer with access to production repositories and track completion.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'training.completion',
        name: 'Awareness training complete',
        description:
          'Every active person completed awareness training within the last 12 months, and every joiner within 30 days of starting.',
      },
      {
        key: 'training.secure_development_completion',
        name: 'Secure development training complete',
        description:
          'Every engineer with production repository access completed secure development training within the last 12 months.',
      },
    ],
  },
  {
    ref: 'GOV-05',
    section: 1,
    title: 'Personnel screening and confidentiality agreements',
    description:
      'People hired into roles with access to Customer Data or production systems pass background checks through a screening provider before that access is granted, limited to what local law allows (identity, right to work, employment history and criminal record where permitted). Everyone signs confidentiality terms at hire. HR records completion dates and outcomes; the reports themselves stay with HR.',
    requirementRefs: ['1.4'],
    tasks: [
      {
        key: 'screening.records_audit',
        title: 'Quarterly screening audit',
        description:
          'HR confirms that every person hired in the quarter has a completed screening and a signed confidentiality agreement, or a documented exception.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'people.screening_complete',
        name: 'Screening complete',
        description:
          'Every active person with production or Customer Data access has a completed screening or a recorded exception.',
      },
    ],
  },

  // 2 Access control
  {
    ref: 'AC-01',
    section: 2,
    title: 'Role-based, least-privilege access',
    description:
      'Every production system and every system holding Customer Data is listed in the systems inventory with an owner and a catalogue of roles, and access is granted only by assigning a role through an approved request. Cloud and database permissions are defined as code, and administrative rights in production come from time-limited just-in-time elevation rather than standing grants.',
    requirementRefs: ['2.1'],
    tasks: [
      {
        key: 'access.role_catalogue_review',
        title: 'Annual role catalogue review',
        description:
          'System owners confirm each role still carries only the permissions it needs and remove roles no longer used.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'systems.owners_assigned',
        name: 'Systems have owners and roles',
        description:
          'Every in-scope system in the inventory has an active owner and a role catalogue.',
      },
      {
        key: 'access.standing_admins_limited',
        name: 'Standing administrators limited',
        description:
          'Each system has no more standing administrators than the limit set by its owner, and each one has a recorded justification.',
      },
    ],
  },
  {
    ref: 'AC-02',
    section: 2,
    title: 'Unique identities through a central identity provider',
    description:
      'Workforce identities live in one identity provider fed by the HR system, and company applications are reached through single sign-on wherever they support it. Each person has exactly one account per system; service accounts have a named owner and cannot sign in interactively, and sealed break-glass accounts exist only for identity-provider outages.',
    requirementRefs: ['2.2'],
    tasks: [
      {
        key: 'access.service_account_review',
        title: 'Service and break-glass account review',
        description:
          'Owners confirm each service account is still needed and least-privileged; break-glass credentials are confirmed sealed and were rotated after any use.',
        cadenceMonths: 6,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'identity.shared_accounts_absent',
        name: 'No shared accounts',
        description:
          'Every account on connected systems belongs to exactly one person or to a registered service account with an owner.',
      },
      {
        key: 'identity.sso_coverage',
        name: 'Single sign-on coverage',
        description:
          'Every in-scope system that supports single sign-on is connected to the identity provider.',
      },
    ],
  },
  {
    ref: 'AC-03',
    section: 2,
    title: 'Enforced multi-factor authentication',
    description:
      'The identity provider requires MFA for every workforce sign-in, with phishing-resistant factors (security keys or passkeys) for administrators. Systems outside single sign-on, cloud root accounts and Steward itself enforce MFA on their own. Exceptions are time-limited, approved by the security lead and listed for review.',
    requirementRefs: ['2.3', '4.4'],
    tasks: [
      {
        key: 'access.mfa_exception_review',
        title: 'MFA exception review',
        description:
          'The security lead reviews every open MFA exception and closes it or renews it with a reason and a new expiry.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'identity.mfa_enforced',
        name: 'MFA enforced in the identity provider',
        description:
          'The identity provider requires MFA for all active users and phishing-resistant MFA for administrators.',
      },
      {
        key: 'cloud.root_mfa_enabled',
        name: 'Cloud root accounts protected',
        description:
          'Every cloud root or owner account has hardware-backed MFA and no long-lived access keys.',
      },
      {
        key: 'steward.mfa_enforced_admins',
        name: 'Steward administrators use MFA',
        description:
          'Every Steward account with an administrative role has MFA enrolled and required.',
      },
    ],
  },
  {
    ref: 'AC-04',
    section: 2,
    title: 'Joiner, mover and leaver workflow',
    description:
      'Start dates, role changes and departures flow from the HR system to the identity provider and to Steward over SCIM. Joiners receive baseline access from their role and anything more through an approved request; movers lose access that no longer fits within five business days; leavers are disabled in the identity provider on their last day and on every other system within one business day, and return their devices.',
    requirementRefs: ['2.4'],
    tasks: [
      {
        key: 'people.jml_sample_audit',
        title: 'Joiner, mover and leaver sample audit',
        description:
          'Take a sample of the quarter’s joiners, movers and leavers and confirm each access change was approved and completed on time.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'people.leavers_deprovisioned',
        name: 'Leavers deprovisioned',
        description:
          'No person who left more than one business day ago still has an active account on a connected system.',
      },
      {
        key: 'people.movers_access_adjusted',
        name: 'Movers’ access adjusted',
        description:
          'Every role change older than five business days has a completed access adjustment.',
      },
    ],
  },
  {
    ref: 'AC-05',
    section: 2,
    title: 'Quarterly privileged access reviews',
    description:
      'Every quarter, system owners review all privileged and production accounts, and all accounts on systems holding Customer Data, in a Steward access review campaign. Each grant is kept or revoked with a recorded decision, revocations are confirmed on the system, and nobody reviews their own access.',
    requirementRefs: ['2.5', '2.1'],
    tasks: [
      {
        key: 'access_reviews.quarterly',
        title: 'Quarterly privileged access review',
        description:
          'Run the access review campaign for every in-scope system, record each decision and confirm revocations on the system.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'access_reviews.completed',
        name: 'Access reviews completed',
        description:
          'Every in-scope system has a completed access review within the last three months.',
      },
      {
        key: 'access_reviews.revocations_applied',
        name: 'Review revocations applied',
        description: 'Every access revoked in a review is no longer active on the system.',
      },
    ],
  },

  // 3 Encryption and key management
  {
    ref: 'ENC-01',
    section: 3,
    title: 'TLS for data in transit',
    description:
      'Public endpoints of the Service accept only TLS 1.2 or 1.3 with modern cipher suites, redirect HTTP to HTTPS and send HSTS. Certificates are issued and renewed automatically by the cloud provider or over ACME, and internal connections to databases and between services use TLS where the platform supports it.',
    requirementRefs: ['3.1'],
    tasks: [
      {
        key: 'encryption.tls_configuration_review',
        title: 'Annual TLS configuration review',
        description:
          'Compare protocol versions and cipher suites on public and internal endpoints with current guidance and record any change made.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'tls.endpoints_valid',
        name: 'TLS endpoints valid',
        description:
          'Every registered public endpoint offers only TLS 1.2 or later, presents a valid certificate chain for its hostname and sends HSTS.',
      },
      {
        key: 'tls.certificates_expiry',
        name: 'Certificates not expiring',
        description: 'No certificate on a registered endpoint expires within the next 14 days.',
      },
    ],
  },
  {
    ref: 'ENC-02',
    section: 3,
    title: 'Encryption at rest for production data',
    description:
      'Production databases, block volumes, object storage buckets, snapshots and backups are encrypted at rest with AES-256 through the cloud provider’s native encryption. Infrastructure-code modules make encryption the default and account-level policies refuse unencrypted storage.',
    requirementRefs: ['3.2'],
    tasks: [
      {
        key: 'encryption.at_rest_coverage_review',
        title: 'Annual encryption-at-rest review',
        description:
          'Confirm every data store in the data inventory is encrypted at rest, and record any exception with its compensating safeguard.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'cloud.storage_encrypted',
        name: 'Cloud storage encrypted',
        description:
          'Every production database, volume, bucket and snapshot in connected cloud accounts has encryption at rest enabled.',
      },
      {
        key: 'iac.encryption_at_rest',
        name: 'Encryption declared in infrastructure code',
        description: 'Infrastructure code enables encryption on every storage resource it defines.',
      },
    ],
  },
  {
    ref: 'ENC-03',
    section: 3,
    title: 'Managed key management',
    description:
      'Keys that protect Customer Data are created and held in the cloud provider’s HSM-backed key management service, are never exported, and rotate automatically every year. Key policies allow use only by the service roles that need them and administration only by a small platform group, and every key operation is logged in the cloud audit trail.',
    requirementRefs: ['3.3'],
    tasks: [
      {
        key: 'encryption.key_access_review',
        title: 'Annual key access review',
        description:
          'Review key policies and key administrators for every key protecting Customer Data and remove access no longer needed.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'cloud.kms_rotation_enabled',
        name: 'Key rotation enabled',
        description:
          'Automatic rotation is enabled on every customer-managed key in connected cloud accounts.',
      },
      {
        key: 'cloud.kms_policies_restricted',
        name: 'Key policies restricted',
        description: 'No key policy grants use or administration to wildcard principals.',
      },
    ],
  },
  {
    ref: 'ENC-04',
    section: 3,
    title: 'Secrets management and rotation',
    description:
      'Application secrets, database credentials and API tokens are stored in a managed secret store and injected at runtime; none live in repositories or images. Secret scanning blocks pushes that contain credentials, and secrets rotate at least yearly (every 90 days for highly privileged ones) and immediately after suspected exposure.',
    requirementRefs: ['3.4'],
    tasks: [
      {
        key: 'secrets.rotation_review',
        title: 'Secrets rotation review',
        description:
          'Review secrets nearing or past their maximum age, rotate them, and confirm every leaked-secret alert was handled.',
        cadenceMonths: 6,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'secrets.rotation_age',
        name: 'Secrets within rotation age',
        description:
          'No secret in the secret store is older than the maximum age its policy allows.',
      },
      {
        key: 'code.secret_scanning_enabled',
        name: 'Secret scanning enabled',
        description:
          'Secret scanning with push protection is enabled on every production repository.',
      },
    ],
  },

  // 4 Network security
  {
    ref: 'NET-01',
    section: 4,
    title: 'Segmented environments and networks',
    description:
      'Production runs in dedicated cloud accounts and virtual networks, separate from corporate IT, development and staging, with no peering from non-production into production. Data stores sit in private subnets without public addresses, and a diagram of environments and allowed flows is kept current.',
    requirementRefs: ['4.1', '5.3'],
    tasks: [
      {
        key: 'network.architecture_review',
        title: 'Annual network architecture review',
        description:
          'Update the network and data-flow diagram, confirm the segmentation matches it, and review every cross-environment flow.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'iac.environment_segmentation',
        name: 'Environments segmented in code',
        description:
          'Infrastructure code defines no route or peering from non-production networks into production.',
      },
      {
        key: 'cloud.data_stores_private',
        name: 'Data stores private',
        description: 'No production database, cache or search cluster has a public address.',
      },
    ],
  },
  {
    ref: 'NET-02',
    section: 4,
    title: 'Security groups and firewall rules as code',
    description:
      'Firewall rules and security groups are defined in infrastructure code, deny by default and open only the ports and sources each service needs; egress from data tiers is limited to known destinations. Changes go through the same review as application code, and the rules are reviewed twice a year to remove unused ones.',
    requirementRefs: ['4.2'],
    tasks: [
      {
        key: 'network.firewall_rule_review',
        title: 'Firewall rule review',
        description:
          'Review every production security group and firewall rule, confirm each still has a purpose and an owner, and remove the rest.',
        cadenceMonths: 6,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'cloud.security_groups_restricted',
        name: 'Security groups restricted',
        description:
          'No production security group accepts traffic from the whole internet except load balancers on ports 80 and 443.',
      },
    ],
  },
  {
    ref: 'NET-03',
    section: 4,
    title: 'DDoS protection and web application firewall',
    description:
      'All public hostnames of the Service are served through a CDN or load balancer with the provider’s DDoS protection and a web application firewall running managed rule sets and rate limits. Origins accept traffic only from that layer, so it cannot be bypassed.',
    requirementRefs: ['4.3'],
    tasks: [
      {
        key: 'network.edge_protection_review',
        title: 'Annual DDoS and WAF review',
        description:
          'Review firewall rules, rate limits and the DDoS runbook in the light of attacks and false positives since the last review.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'edge.protection_enabled',
        name: 'Edge protection in front of every endpoint',
        description:
          'Every public hostname resolves through the DDoS and WAF layer, and its origin refuses direct connections.',
      },
    ],
  },
  {
    ref: 'NET-04',
    section: 4,
    title: 'Gated administrative access',
    description:
      'Shell, database and other administrative access to production goes through a session gateway, such as a cloud session manager or zero-trust proxy, that enforces single sign-on with MFA, limits session length and records sessions. No administrative port is exposed to the internet, and internal admin tools sit behind single sign-on.',
    requirementRefs: ['4.4'],
    tasks: [
      {
        key: 'network.admin_path_review',
        title: 'Annual administrative access path review',
        description:
          'Review who can use the access gateway and for which targets, and confirm no other administrative path into production exists.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'network.admin_ports_not_exposed',
        name: 'Administrative ports not exposed',
        description:
          'No administrative port (SSH, RDP, database, cache or orchestrator API) answers from the internet on any production address.',
      },
    ],
  },

  // 5 Secure development
  {
    ref: 'SDL-01',
    section: 5,
    title: 'Peer-reviewed changes and branch protection',
    description:
      'Every production repository protects its main branch: a merge needs an approving review from someone other than the author and passing CI, and force pushes are blocked. Engineers follow written secure coding guidelines, and changes touching authentication, authorization or cryptography also get a review from a designated security reviewer.',
    requirementRefs: ['5.1'],
    tasks: [
      {
        key: 'development.secure_coding_guidelines_review',
        title: 'Annual secure coding guidelines review',
        description:
          'Update the secure coding guidelines from recent findings, incidents and changes in the technology stack.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'code.branch_protection_enabled',
        name: 'Branch protection enabled',
        description:
          'Every production repository requires an approving review from a non-author and passing checks before merge, and blocks force pushes.',
      },
      {
        key: 'code.changes_peer_reviewed',
        name: 'Merged changes peer-reviewed',
        description:
          'Every change merged to a production branch has an approving review from someone other than its author.',
      },
    ],
  },
  {
    ref: 'SDL-02',
    section: 5,
    title: 'Dependency and static analysis in CI',
    description:
      'CI runs dependency scanning and static analysis on every pull request and on the main branch of each production repository, and produces an SBOM for each release. Results are uploaded to Steward as SARIF or CycloneDX, where they join vulnerability management, and new critical findings fail the build.',
    requirementRefs: ['5.2', '6.1'],
    tasks: [
      {
        key: 'development.scanner_coverage_review',
        title: 'Quarterly scanner coverage review',
        description:
          'Confirm every production repository and container image runs the required scanners and uploads its results.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'vulnerabilities.dependency_scan_recent',
        name: 'Dependency scans recent',
        description:
          'Every production repository has a dependency scan uploaded within the last 7 days.',
      },
      {
        key: 'code.static_analysis_enabled',
        name: 'Static analysis enabled',
        description: 'Every production repository runs static analysis in CI.',
      },
    ],
  },
  {
    ref: 'SDL-03',
    section: 5,
    title: 'Separate environments and protected test data',
    description:
      'Development, staging and production each have their own cloud accounts, credentials and access groups, and engineers have no production access by default. Tests use synthetic or masked data; any copy of production Customer Data outside production needs the security lead’s approval, an expiry and production-grade protection.',
    requirementRefs: ['5.3'],
    tasks: [
      {
        key: 'development.nonproduction_data_review',
        title: 'Non-production data review',
        description:
          'Look for production Customer Data in non-production stores and confirm each approved copy is still needed and within its expiry.',
        cadenceMonths: 6,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'cloud.environments_separated',
        name: 'Environments separated',
        description:
          'Production and non-production resources live in different cloud accounts or projects and share no credentials.',
      },
    ],
  },
  {
    ref: 'SDL-04',
    section: 5,
    title: 'Production change management',
    description:
      'Deployments to production run only through the CI/CD pipeline from reviewed commits on the protected branch, and each release is recorded with its commits, approver and time. Infrastructure changes follow the same path through infrastructure code. Emergency changes are allowed with on-call approval and are reviewed within five business days.',
    requirementRefs: ['5.4'],
    tasks: [
      {
        key: 'changes.quarterly_review',
        title: 'Quarterly change management review',
        description:
          'Review emergency changes and any production change made outside the pipeline, and confirm each has a retrospective approval.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'changes.deployments_via_pipeline',
        name: 'Deployments through the pipeline',
        description:
          'Every production deployment came from the pipeline and from a reviewed commit on the protected branch.',
      },
      {
        key: 'changes.manual_changes_absent',
        name: 'No manual production changes',
        description:
          'The cloud audit trail shows no manual production change outside an approved emergency session.',
      },
    ],
  },

  // 6 Vulnerability management
  {
    ref: 'VUL-01',
    section: 6,
    title: 'Continuous vulnerability scanning and disclosure intake',
    description:
      'Container images are scanned on build and in the registry, hosts and cloud configuration at least weekly, and public endpoints from outside. All results flow into Steward, where findings are deduplicated and given an owner. A security.txt and a disclosure policy give researchers a channel whose reports enter the same inventory.',
    requirementRefs: ['6.1'],
    tasks: [
      {
        key: 'vulnerabilities.scan_coverage_review',
        title: 'Quarterly scan coverage review',
        description:
          'Reconcile scanned assets with the asset inventory and bring any unscanned host, image, cloud account or endpoint into scope.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'vulnerabilities.infrastructure_scan_recent',
        name: 'Infrastructure scans recent',
        description:
          'Every production host, container image and cloud account has a scan result from the last 7 days.',
      },
      {
        key: 'web.security_txt_present',
        name: 'Security contact published',
        description: 'The company’s public domains publish a valid, unexpired security.txt.',
      },
    ],
  },
  {
    ref: 'VUL-02',
    section: 6,
    title: 'Remediation within severity deadlines',
    description:
      'Each finding gets a due date from its severity (by default 7 days for critical, 30 for high, 90 for medium, 180 for low), shortened for vulnerabilities known to be exploited. A finding that cannot be fixed in time needs a risk acceptance from the security lead, or an executive for critical ones, with compensating measures and an expiry. Engineering leads review open findings monthly.',
    requirementRefs: ['6.2'],
    tasks: [
      {
        key: 'vulnerabilities.monthly_review',
        title: 'Monthly vulnerability review',
        description:
          'Engineering leads and security go through open findings nearing or past due, and renew or close expiring risk acceptances.',
        cadenceMonths: 1,
        graceDays: 10,
      },
    ],
    checks: [
      {
        key: 'vulnerabilities.sla_breaches',
        name: 'No remediation deadline breaches',
        description: 'No open finding is past its due date without a current risk acceptance.',
      },
      {
        key: 'vulnerabilities.risk_acceptances_current',
        name: 'Vulnerability risk acceptances current',
        description: 'No risk acceptance on a finding is past its expiry date.',
      },
    ],
  },
  {
    ref: 'VUL-03',
    section: 6,
    title: 'Patch and end-of-life management',
    description:
      'Servers and containers are rebuilt from patched base images at least monthly, managed services stay on supported versions with automatic minor upgrades, and critical security patches are applied within the remediation deadlines. Runtimes, frameworks and operating systems nearing end of life are tracked from the SBOMs and replaced before support ends.',
    requirementRefs: ['6.3'],
    tasks: [
      {
        key: 'vulnerabilities.end_of_life_review',
        title: 'Quarterly end-of-life review',
        description:
          'Review components reaching end of support in the next two quarters and agree an upgrade plan and owner for each.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'sbom.end_of_life_components',
        name: 'No end-of-life components',
        description:
          'No component in the latest production SBOMs is past its vendor’s end-of-support date.',
      },
      {
        key: 'hosts.base_images_current',
        name: 'Base images current',
        description:
          'Every running production image was built from a base image less than 30 days old.',
      },
    ],
  },
  {
    ref: 'VUL-04',
    section: 6,
    title: 'Annual independent penetration test',
    description:
      'A qualified external firm tests the Service’s web application, APIs and cloud infrastructure at least once a year and after major architecture changes, with access to documentation and test accounts. Findings are imported as vulnerabilities under the remediation deadlines, critical and high ones are retested, and a summary letter is offered to customers.',
    requirementRefs: ['6.4'],
    tasks: [
      {
        key: 'vulnerabilities.annual_pentest',
        title: 'Annual penetration test',
        description:
          'Scope and commission the test, import the report and its findings, and attach the retest results for critical and high findings.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'vulnerabilities.pentest_recent',
        name: 'Penetration test recent',
        description:
          'A completed penetration test report dated within the last 12 months is on file.',
      },
      {
        key: 'vulnerabilities.pentest_findings_closed',
        name: 'Penetration test findings closed',
        description: 'No critical or high penetration test finding is open past its due date.',
      },
    ],
  },
  {
    ref: 'VUL-05',
    section: 6,
    title: 'Managed endpoint security',
    description:
      'Company laptops are enrolled in device management, which enforces OS updates, an endpoint detection and response agent and the host firewall; only compliant devices can sign in to the identity provider. Personal devices cannot reach production or Customer Data.',
    requirementRefs: ['6.3', '6.1'],
    tasks: [
      {
        key: 'endpoints.compliance_review',
        title: 'Quarterly device compliance review',
        description:
          'Reconcile managed devices with the people directory and follow up every device that is non-compliant or has stopped reporting.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'endpoints.os_updates_current',
        name: 'Device OS updates current',
        description:
          'Every managed device runs a supported OS version with security updates no older than 30 days.',
      },
      {
        key: 'endpoints.edr_active',
        name: 'Endpoint protection active',
        description:
          'Every managed device has an endpoint protection agent that reported within the last 7 days.',
      },
    ],
  },

  // 7 Logging and monitoring
  {
    ref: 'LOG-01',
    section: 7,
    title: 'Central log platform',
    description:
      'Application, infrastructure, cloud audit and identity-provider logs are shipped to a central log platform in a separate account, readable only by the security and platform teams. All systems synchronize their clocks over NTP so events can be correlated, and a log source inventory shows which systems report.',
    requirementRefs: ['7.1'],
    tasks: [
      {
        key: 'logging.source_coverage_review',
        title: 'Quarterly log source coverage review',
        description:
          'Compare the log source inventory with the systems inventory and onboard any production system that does not send logs.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'logging.sources_reporting',
        name: 'Log sources reporting',
        description: 'Every registered log source delivered events within the last 24 hours.',
      },
      {
        key: 'cloud.audit_trail_enabled',
        name: 'Cloud audit trail enabled',
        description: 'Cloud audit logging is enabled in every connected account and region.',
      },
    ],
  },
  {
    ref: 'LOG-02',
    section: 7,
    title: 'Security and availability alerting with on-call',
    description:
      'Alert rules cover authentication anomalies, privilege and policy changes, disabled logging, malware and intrusion detections, error rates, latency and uptime measured from outside. Alerts page a round-the-clock on-call rotation whose acknowledgement times are measured, and a public status page reports availability incidents.',
    requirementRefs: ['7.2'],
    tasks: [
      {
        key: 'monitoring.alert_rule_review',
        title: 'Alert rule review',
        description:
          'Review alert rules for gaps against recent incidents and threats, and tune or remove noisy ones.',
        cadenceMonths: 6,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'monitoring.alert_rules_enabled',
        name: 'Required alert rules enabled',
        description: 'Every alert rule the monitoring standard requires exists and is enabled.',
      },
      {
        key: 'monitoring.on_call_staffed',
        name: 'On-call staffed',
        description: 'The on-call schedule has a responder for every hour of the next 14 days.',
      },
      {
        key: 'monitoring.uptime_probes_active',
        name: 'Uptime probes active',
        description: 'External uptime probes cover every public endpoint and are running.',
      },
    ],
  },
  {
    ref: 'LOG-03',
    section: 7,
    title: 'Tamper-evident audit trail for privileged actions',
    description:
      'Cloud control-plane actions, database administration, identity-provider admin changes and access to Customer Data through internal tools are logged with actor, action, target, time and source address. These logs go to write-once storage in a separate account that administrators of the source systems cannot modify, and Steward’s own hash-chained audit log is verified continuously.',
    requirementRefs: ['7.3'],
    tasks: [
      {
        key: 'logging.privileged_activity_review',
        title: 'Quarterly privileged activity review',
        description:
          'Review a sample of privileged actions and break-glass use against tickets and approvals, and follow up anything unexplained.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'cloud.audit_log_integrity',
        name: 'Audit logs protected',
        description:
          'Cloud audit logs are delivered to write-once storage with integrity validation enabled.',
      },
      {
        key: 'steward.audit_chain_intact',
        name: 'Steward audit chain intact',
        description: 'Verification of Steward’s audit log hash chain succeeds end to end.',
      },
    ],
  },
  {
    ref: 'LOG-04',
    section: 7,
    title: 'Log retention',
    description:
      'Security and audit logs are kept for 12 months (90 days searchable, the rest archived) and application logs for 30 days, unless a contract or law requires longer. Retention is set in configuration and deletion is automatic; logs under legal hold are exempt.',
    requirementRefs: ['7.4'],
    tasks: [
      {
        key: 'logging.retention_review',
        title: 'Annual log retention review',
        description:
          'Confirm retention periods still meet contractual and legal needs and that every log store is configured accordingly.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'logging.retention_configured',
        name: 'Log retention configured',
        description:
          'Every log store keeps its logs for the period the policy sets for that log type.',
      },
    ],
  },

  // 8 Incident response
  {
    ref: 'IR-01',
    section: 8,
    title: 'Incident response plan, roles and exercises',
    description:
      'The incident response plan defines severity levels, an incident commander and a communications lead for each incident, escalation to executives and legal, and contact lists for customers, regulators and key suppliers. It is reviewed yearly and rehearsed in a yearly tabletop exercise, and personnel report suspected incidents through a published channel.',
    requirementRefs: ['8.1'],
    tasks: [
      {
        key: 'incidents.plan_review',
        title: 'Annual incident response plan review',
        description:
          'Update the plan, severity definitions and escalation roster from lessons learned and organizational changes, and re-approve it.',
        cadenceMonths: 12,
        graceDays: 30,
      },
      {
        key: 'incidents.tabletop_exercise',
        title: 'Annual tabletop exercise',
        description:
          'Run a scenario-based exercise with responders and executives, record the lessons, and track the follow-up actions.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'incidents.escalation_roster_current',
        name: 'Escalation roster current',
        description: 'Every role in the incident escalation roster is held by an active person.',
      },
    ],
  },
  {
    ref: 'IR-02',
    section: 8,
    title: 'Incident tracking, handling and post-incident review',
    description:
      'Every suspected incident is opened as a record in Steward with a severity, roles and a timestamped timeline, and moves through triage, containment, eradication and recovery, with evidence preserved by hash. High and critical incidents get a blameless root-cause review within 10 business days, and follow-up actions are tracked to closure.',
    requirementRefs: ['8.2'],
    tasks: [
      {
        key: 'incidents.quarterly_review',
        title: 'Quarterly incident review',
        description:
          'Review the quarter’s incidents, open follow-up actions and recurring causes, and report trends to leadership.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'incidents.postmortems_complete',
        name: 'Post-incident reviews complete',
        description:
          'Every high or critical incident has a post-incident review completed within 10 business days of recovery.',
      },
      {
        key: 'incidents.actions_on_track',
        name: 'Incident actions on track',
        description: 'No post-incident follow-up action is past its due date.',
      },
    ],
  },
  {
    ref: 'IR-03',
    section: 8,
    title: 'Customer and regulator notification',
    description:
      'When an incident affects Customer Data, Steward computes each customer’s notification deadline from their contract, and any regulator deadline that applies to the company, counting from confirmation. Legal approves notices built from templates, deliveries are recorded, and affected customers receive updates until the incident closes.',
    requirementRefs: ['8.3'],
    tasks: [
      {
        key: 'incidents.notification_readiness_review',
        title: 'Annual notification readiness review',
        description:
          'Review notification templates, contractual deadlines and customer security contacts, and fill in any missing contact.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'incidents.notifications_on_time',
        name: 'Notifications on time',
        description:
          'Every required customer or regulator notification was sent before its deadline.',
      },
      {
        key: 'customers.security_contacts_present',
        name: 'Customer security contacts on record',
        description: 'Every active customer has a security notification contact on record.',
      },
    ],
  },

  // 9 Business continuity and disaster recovery
  {
    ref: 'BCP-01',
    section: 9,
    title: 'Encrypted backups with monthly restore tests',
    description:
      'Production databases and object stores are backed up automatically (daily snapshots plus point-in-time recovery for databases), encrypted, and copied to a separate account and region under deletion protection. Each month a backup is restored into an isolated environment and checked for completeness, and the restore time is recorded.',
    requirementRefs: ['9.1'],
    tasks: [
      {
        key: 'backups.monthly_restore_test',
        title: 'Monthly restore test',
        description:
          'Restore a recent backup of a critical data store into an isolated environment, verify its contents, and record the time taken.',
        cadenceMonths: 1,
        graceDays: 10,
      },
    ],
    checks: [
      {
        key: 'backups.recent_success',
        name: 'Recent backups succeeded',
        description:
          'Every critical data store has a successful backup completed within the last 24 hours.',
      },
      {
        key: 'backups.offsite_copy',
        name: 'Backups copied off-site',
        description:
          'Backups of every critical data store are copied to a separate account or region with deletion protection.',
      },
    ],
  },
  {
    ref: 'BCP-02',
    section: 9,
    title: 'Disaster recovery plan and annual test',
    description:
      'The disaster recovery plan lists critical systems with their recovery time and recovery point objectives and the runbooks to restore them in another region. It is tested every year by recovering the Service in the recovery region or through a realistic simulation; results are compared with the objectives and gaps become tracked actions.',
    requirementRefs: ['9.2'],
    tasks: [
      {
        key: 'continuity.dr_test',
        title: 'Annual disaster recovery test',
        description:
          'Recover the Service, or a defined critical part of it, in the recovery region, measure the achieved recovery times against the objectives, and record gaps as actions.',
        cadenceMonths: 12,
        graceDays: 30,
      },
      {
        key: 'continuity.plan_review',
        title: 'Annual continuity plan review',
        description:
          'Update the business continuity and disaster recovery plan, its objectives and its contact lists, and re-approve it.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'continuity.rto_rpo_defined',
        name: 'Recovery objectives defined',
        description:
          'Every critical system has a recovery time objective, a recovery point objective and a linked recovery runbook.',
      },
    ],
  },
  {
    ref: 'BCP-03',
    section: 9,
    title: 'Resilient multi-zone architecture',
    description:
      'Production databases run with a standby in another availability zone, application tiers run at least two instances across zones behind health-checked load balancers, and autoscaling absorbs load peaks. Capacity is reviewed every quarter against growth and alert thresholds.',
    requirementRefs: ['9.3'],
    tasks: [
      {
        key: 'continuity.capacity_review',
        title: 'Quarterly capacity review',
        description:
          'Review utilization and growth of compute, storage and database capacity against thresholds and plan increases before limits are reached.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'cloud.multi_zone_data_stores',
        name: 'Multi-zone data stores',
        description:
          'Every production database and cache is deployed across at least two availability zones.',
      },
    ],
  },

  // 10 Subprocessors and suppliers
  {
    ref: 'SUP-01',
    section: 10,
    title: 'Supplier inventory and due diligence',
    description:
      'Every supplier is recorded in the vendor registry with the data it reaches and a criticality tier. Subprocessors and critical suppliers are assessed before onboarding and every year from their SOC 2 Type II report, ISO/IEC 27001 certificate or a questionnaire, and residual risks and the complementary controls the company must run are recorded.',
    requirementRefs: ['10.1'],
    tasks: [
      {
        key: 'vendors.annual_subprocessor_review',
        title: 'Annual subprocessor review',
        description:
          'Collect current attestations from every subprocessor and critical supplier, review them, and record the conclusion and any follow-up.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'vendors.assessments_current',
        name: 'Supplier assessments current',
        description:
          'Every subprocessor and critical supplier has an assessment dated within the last 12 months.',
      },
      {
        key: 'vendors.certificates_valid',
        name: 'Supplier certificates valid',
        description: 'No recorded certification or audit report of a subprocessor has expired.',
      },
    ],
  },
  {
    ref: 'SUP-02',
    section: 10,
    title: 'Data processing agreements with subprocessors',
    description:
      'No subprocessor receives Customer Data until a data processing agreement or equivalent terms are signed covering confidentiality, security measures, breach notification within a set period, onward subprocessing, audit rights and return or deletion at termination. When a subprocessor is offboarded, deletion of Customer Data is confirmed and recorded.',
    requirementRefs: ['10.2'],
    tasks: [
      {
        key: 'vendors.contract_terms_review',
        title: 'Annual supplier terms review',
        description:
          'Legal checks the standard supplier data processing agreement against current law and customer commitments, and flags subprocessors whose terms fall short.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'vendors.dpa_signed',
        name: 'Subprocessor agreements signed',
        description:
          'Every active subprocessor in the registry has a signed data processing agreement on file.',
      },
    ],
  },
  {
    ref: 'SUP-03',
    section: 10,
    title: 'Published subprocessor list and change notices',
    description:
      'The trust center publishes the current subprocessor list straight from the vendor registry. Adding or replacing a subprocessor creates a change notice sent to subscribed customers and the feed at least 30 days (or the agreement’s notice period) before it receives data, and objections are tracked and answered.',
    requirementRefs: ['10.3'],
    tasks: [
      {
        key: 'subprocessors.list_reconciliation',
        title: 'Quarterly subprocessor list reconciliation',
        description:
          'Compare the published list with the registry, supplier invoices and infrastructure to catch subprocessors in use but not listed.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'subprocessors.list_published',
        name: 'Subprocessor list published',
        description:
          'The public subprocessor list matches the active subprocessors in the registry.',
      },
      {
        key: 'subprocessors.notice_period_respected',
        name: 'Notice periods respected',
        description: 'No subprocessor started processing before its change notice period ended.',
      },
    ],
  },

  // 11 Data handling and minimization
  {
    ref: 'DAT-01',
    section: 11,
    title: 'Customer-configurable processing limits',
    description:
      'The Service lets customer administrators choose which data sources and datasets are connected, exclude or mask fields, and turn off features that read record-level data. Automated tests verify that excluded data is never ingested, and settings changes appear in the customer’s audit log.',
    requirementRefs: ['11.1'],
    tasks: [
      {
        key: 'data.processing_controls_review',
        title: 'Annual review of customer processing controls',
        description:
          'Product and security review the processing settings and their documentation against features released during the year.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [],
  },
  {
    ref: 'DAT-02',
    section: 11,
    title: 'Data inventory, purpose limitation and retention',
    description:
      'Records of processing list each category of Customer Data, its purpose, the systems and subprocessors holding it, and its retention period, and any new use of Customer Data passes a privacy review. Automated jobs delete data when its period ends and within the agreed period after a contract ends.',
    requirementRefs: ['11.2'],
    tasks: [
      {
        key: 'data.records_of_processing_review',
        title: 'Annual records of processing review',
        description:
          'Data owners confirm each processing record is complete and accurate, including purposes, systems, subprocessors and retention.',
        cadenceMonths: 12,
        graceDays: 30,
      },
      {
        key: 'data.deletion_verification',
        title: 'Quarterly deletion verification',
        description:
          'Verify deletion for a sample of expired data and terminated customers, and attach the job logs.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'data.retention_enforced',
        name: 'Retention enforced',
        description: 'No data store holds data older than its recorded retention period.',
      },
      {
        key: 'data.inventory_complete',
        name: 'Data inventory complete',
        description:
          'Every production data store is linked to a records-of-processing entry with an owner.',
      },
    ],
  },
  {
    ref: 'DAT-03',
    section: 11,
    title: 'Just-in-time support access to Customer Data',
    description:
      'Support and engineering staff reach a customer’s data only through a just-in-time grant tied to a ticket, approved by a designated approver (or the customer where the product supports it) and expiring automatically within 24 hours. Every grant and action is logged, and the logs are reviewed quarterly and given to the customer on request.',
    requirementRefs: ['11.3', '2.1'],
    tasks: [
      {
        key: 'support_access.quarterly_log_review',
        title: 'Quarterly support access review',
        description:
          'Review support access grants and their logs against tickets, and follow up any access without a clear reason.',
        cadenceMonths: 3,
        graceDays: 14,
      },
    ],
    checks: [
      {
        key: 'support_access.grants_approved',
        name: 'Support access approved',
        description: 'Every support access grant was approved before access began.',
      },
      {
        key: 'support_access.grants_expired',
        name: 'Support access expired',
        description: 'No support access grant remains active past its expiry.',
      },
    ],
  },

  // 12 Physical security
  {
    ref: 'PHY-01',
    section: 12,
    title: 'Physical controls inherited from cloud providers',
    description:
      'Production runs only in the data centers of major cloud providers, which operate the physical, environmental and media-disposal controls. Every year the security lead obtains each provider’s current SOC 2 Type II report or ISO/IEC 27001 certificate, reviews its physical security sections and any bridge letter, and records the conclusion.',
    requirementRefs: ['12.1'],
    tasks: [
      {
        key: 'vendors.hosting_attestation_review',
        title: 'Annual hosting provider attestation review',
        description:
          'Download each hosting provider’s current attestation, review the physical and environmental controls and complementary customer controls, and record the conclusion.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'vendors.hosting_attestations_current',
        name: 'Hosting attestations current',
        description:
          'Every hosting provider has an attestation whose period ended no more than 12 months ago.',
      },
    ],
  },
  {
    ref: 'PHY-02',
    section: 12,
    title: 'Office and device physical safeguards',
    description:
      'Offices host no production systems and store no Customer Data; entry is by badge and visitors are escorted. Laptops use full-disk encryption, lock after a short idle period and can be wiped remotely when lost, and retired devices are wiped or destroyed with a certificate.',
    requirementRefs: ['12.1', '3.2'],
    tasks: [
      {
        key: 'endpoints.disposal_review',
        title: 'Annual device disposal review',
        description: 'Reconcile retired and lost devices with their wipe or destruction records.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'endpoints.disk_encryption_enabled',
        name: 'Device disks encrypted',
        description: 'Every managed device has full-disk encryption enabled.',
      },
      {
        key: 'endpoints.screen_lock_enabled',
        name: 'Device screen lock enabled',
        description:
          'Every managed device locks after at most 10 minutes of inactivity and requires authentication to unlock.',
      },
    ],
  },

  // 13 Customer responsibilities
  {
    ref: 'CUS-01',
    section: 13,
    title: 'Published shared-responsibility matrix',
    description:
      'The trust center and customer documentation publish a shared-responsibility matrix stating what the company secures and what the customer must do: manage its users, single sign-on and MFA; protect its credentials and connected systems; and submit only lawfully obtained Personal Data. The data processing agreement and terms refer to it, and it is reviewed every year and whenever a product change shifts a responsibility.',
    requirementRefs: ['13.1', '13.2', '13.3'],
    tasks: [
      {
        key: 'customers.responsibility_matrix_review',
        title: 'Annual shared-responsibility matrix review',
        description:
          'Review the matrix against the product and the contracts, update it, and republish it in the trust center.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [
      {
        key: 'trust_center.responsibility_matrix_published',
        name: 'Responsibility matrix published',
        description: 'The current shared-responsibility matrix is published in the trust center.',
      },
    ],
  },
  {
    ref: 'CUS-02',
    section: 13,
    title: 'Customer account security features',
    description:
      'The Service gives customers SAML or OpenID Connect single sign-on, MFA that administrators can require for all users, role-based permissions, SCIM provisioning, scoped and expiring API keys that can be revoked, and an exportable audit log. A security configuration guide explains how to use each of them.',
    requirementRefs: ['13.1', '13.2'],
    tasks: [
      {
        key: 'customers.security_guide_review',
        title: 'Annual customer security guide review',
        description:
          'Update the customer security configuration guide for features released during the year and confirm each documented setting works as described.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [],
  },
  {
    ref: 'CUS-03',
    section: 13,
    title: 'Contract terms on customer-submitted data',
    description:
      'The terms of service and data processing agreement state that the customer is responsible for the lawfulness of the Personal Data it submits, including notices and consents, and describe what data the Service processes and why. Legal reviews these terms every year against changes in law and in the product.',
    requirementRefs: ['13.3'],
    tasks: [
      {
        key: 'customers.terms_review',
        title: 'Annual customer terms review',
        description:
          'Legal reviews the customer-facing data processing terms and privacy descriptions against legal and product changes.',
        cadenceMonths: 12,
        graceDays: 30,
      },
    ],
    checks: [],
  },
];

/** The default annex as Markdown, generated from annexSections/annexRequirements (headings per section, one bullet per requirement text). */
export function renderDefaultAnnex(): string {
  const lines = [`# ${annexFramework.name}`, '', annexFramework.description];
  for (const section of annexSections) {
    lines.push('', `## ${section.number}. ${section.title}`, '', section.summary, '');
    for (const requirement of annexRequirements) {
      if (requirement.section === section.number) lines.push(`- ${requirement.text}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
