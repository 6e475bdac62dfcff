/** A starter policy Steward offers; editable Markdown. */
export interface PolicyTemplate {
  key: string;
  title: string;
  summary: string;
  annexSections: number[];
  /** Default control refs from annex-catalogue.ts that this policy supports. */
  controlRefs: string[];
  reviewCadenceMonths: number;
  audience: 'everyone' | 'engineering' | 'people_managers' | 'security_team';
  body: string;
}

/** The placeholder replaced by the organization's name when a template is adopted. */
export const companyPlaceholder = '{{company}}';

/** The starter policy set, one template per subject, each tied to annex sections and default controls. */
export const policyTemplates: readonly PolicyTemplate[] = [
  {
    key: 'information_security',
    title: 'Information Security Policy',
    summary:
      'The top-level policy: who owns the security program, how risk is assessed and accepted, which policies make up the set, and what is expected of everyone.',
    annexSections: [1, 13],
    controlRefs: ['GOV-01', 'GOV-02', 'GOV-03', 'GOV-04', 'GOV-05', 'CUS-01'],
    reviewCadenceMonths: 12,
    audience: 'everyone',
    body: `# Information Security Policy

## Purpose

This policy sets out how {{company}} protects the confidentiality, integrity and availability of the information entrusted to it, above all Customer Data, and of the systems that run the Service. It names who is accountable for the security program, explains how security risk is assessed, treated and accepted, and lists the policies that sit beneath it.

The security commitments {{company}} makes to customers in its data processing agreements rest on this policy set. Every statement below describes something {{company}} actually does and can show evidence for; if practice and policy drift apart, one of them is changed.

## Scope

This policy applies to:

1. every employee, contractor, intern and temporary worker of {{company}} (together, "personnel");
2. every system, network, device, account and cloud service that {{company}} owns or operates, or that processes {{company}} data: production, corporate IT, development and staging;
3. all information {{company}} holds, in particular Customer Data (data that customers submit to the Service or that the Service produces from it) and Personal Data.

Suppliers are covered through the Vendor and Subprocessor Management Policy and their contracts.

## Roles and responsibilities

- **Chief Executive Officer**: approves this policy and sets the company's risk tolerance.
- **Executive Sponsor (by default the CTO)**: accountable for the security program; chairs the management security review; the only person who may accept a risk above tolerance.
- **Security Lead**: runs the program day to day; maintains the policy set, the risk register and the control library in Steward; reports program status to leadership; approves exceptions within tolerance.
- **Policy owners**: keep their policy accurate, review it on schedule and obtain approval of each new version.
- **Control owners**: operate their controls, keep the evidence in Steward current and raise problems early.
- **Managers**: make sure their people complete training and policy acknowledgements on time and follow up escalations.
- **People team**: runs onboarding, offboarding, background screening, confidentiality agreements and the disciplinary process.
- **All personnel**: follow the policies that apply to them, protect their credentials and the data they handle, and report suspected incidents at once.

## Policy

**Program and ownership**

1. {{company}} operates a documented information security program based on its security measures annex. Steward is the system of record for controls, evidence, policies, risks, exceptions and recurring security tasks.
2. The Executive Sponsor and the Security Lead are named in Steward. Every control has exactly one owner, who is an active employee; when an owner leaves, the Security Lead reassigns the control within 10 business days.
3. Leadership holds a management security review at least every six months (quarterly is recommended). It covers control status per annex section, overdue tasks, remediation deadline breaches, open high risks, incidents since the last review, audit and customer findings, and resourcing. The minutes record attendees, decisions, action owners and due dates, and are kept in Steward as evidence.

**Policy set**

4. The policy set consists of this policy and the following: Acceptable Use; Access Control; Encryption and Key Management; Network Security; Secure Development and Change Management; Vulnerability Management; Logging and Monitoring; Incident Response; Business Continuity and Disaster Recovery; Vendor and Subprocessor Management; Data Retention and Handling; Background Screening.
5. Each policy has an owner and an approver from leadership. Each is reviewed, updated where needed and re-approved at least every 12 months, and sooner after a material change in the business, the technology, the law or customer contracts. A review that changes nothing is still recorded, with its date, as "reviewed, no change".
6. Published policies are available to all personnel. Each person acknowledges every policy in their audience: new joiners within 7 days of their start date, and existing personnel within 30 days of the publication of a materially changed version.

**Risk management**

7. Security risks are assessed at least every 12 months and after any major change: a new product line, a significant architecture change, an acquisition, a new category of regulated data or a serious incident.
8. Each risk is rated for likelihood and impact on a scale of 1 to 5; its score is likelihood multiplied by impact (1 to 25). Every risk is recorded in the risk register with an owner, an inherent rating, a treatment (mitigate, accept, transfer or avoid), linked controls, a residual rating and a next review date.
9. The risk tolerance is a residual score of 9 or less. A risk within tolerance may be accepted by its owner with the Security Lead's agreement. A risk above tolerance is treated, or accepted in writing by the Executive Sponsor with an expiry date no more than 12 months away.
10. Risk owners update the status and treatment progress of their risks every quarter. An acceptance that reaches its expiry is either renewed with a fresh reason and approval or the risk is treated.

**People**

11. All personnel complete security awareness training within 30 days of their start date and again every 12 months. Engineers also complete secure development training every 12 months. People who are overdue receive reminders and are then escalated to their manager.
12. Background screening is completed before a person receives access to Customer Data or production systems, as set out in the Background Screening Policy. Everyone signs confidentiality terms before their first day.

**Customers and commitments**

13. {{company}} publishes a shared-responsibility matrix in its trust center stating what {{company}} secures and what each customer must do. It is reviewed every 12 months and whenever a product change shifts a responsibility.
14. Security commitments to customers (contract annexes, questionnaire answers, trust center statements) are approved by the Security Lead. {{company}} does not commit to a measure it does not operate.

**Evidence**

15. Control owners keep evidence in Steward current. A control without current evidence or a passing check is treated as not operating until shown otherwise.

## Exceptions

1. Any departure from this policy or a policy beneath it needs an approved exception before it takes effect. Where an emergency makes that impossible, the exception is requested within 2 business days.
2. Exceptions are requested in Steward as a risk acceptance stating the requirement affected, the systems and people in scope, the reason, the risk, the compensating measures and the requested expiry.
3. The Security Lead approves exceptions whose residual risk is within tolerance; the Executive Sponsor approves those above it. Nobody approves an exception they requested.
4. Every exception expires, at the latest 12 months after approval (sooner where a policy sets a shorter limit). An expired exception lapses automatically; renewing it needs a new approval.
5. The Security Lead reviews all open exceptions every quarter together with the risk register.

## Enforcement

Breaches of the policy set are handled through the People team's disciplinary process and may lead to measures up to dismissal; for contractors, up to termination of the engagement. {{company}} may suspend a person's access at once when a breach creates an ongoing risk. A person who reports their own mistake promptly is treated as having helped; hiding a mistake or an incident is itself a breach.

## Review

Owner: Security Lead. Approver: Chief Executive Officer. This policy is reviewed at least every 12 months and after any major change to the business or the Service. Steward records each review, approval and published version.

## Related controls

- GOV-01 Information security policy set
- GOV-02 Security program ownership and management review
- GOV-03 Risk assessment and risk register
- GOV-04 Security awareness and role-based training
- GOV-05 Personnel screening and confidentiality agreements
- CUS-01 Published shared-responsibility matrix
`,
  },
  {
    key: 'acceptable_use',
    title: 'Acceptable Use Policy',
    summary:
      'Day-to-day rules for everyone: accounts and MFA, company devices, handling data, approved tools including AI assistants, and what to report.',
    annexSections: [1, 2, 6, 12],
    controlRefs: ['GOV-01', 'AC-02', 'AC-03', 'VUL-05', 'PHY-02'],
    reviewCadenceMonths: 12,
    audience: 'everyone',
    body: `# Acceptable Use Policy

## Purpose

This policy tells everyone at {{company}} how to use company accounts, devices, data and tools safely. Most attacks on a SaaS company start with one person: a stolen password, a laptop left unlocked, a file shared with the wrong link. These rules close the most common gaps and protect our customers' trust.

## Scope

This policy applies to all personnel and to every company account, managed device, application and piece of information they use for work, wherever they work from. It also applies to personal devices used for company email, chat or calendar.

## Roles and responsibilities

- **All personnel**: follow these rules and report anything that looks wrong.
- **IT**: issues and manages devices and accounts, enforces device settings, and wipes or destroys devices at end of life.
- **Security Lead**: owns this policy, approves tools and exceptions, and investigates reported misuse.
- **Managers**: make sure their team knows these rules and returns devices and access when people leave.
- **People team**: collects acknowledgements at onboarding and handles breaches through the disciplinary process.

## Policy

**Accounts and passwords**

1. Use only the accounts issued to you. Never share a password, MFA code, recovery code or signed-in session, and never let anyone else work under your account.
2. Sign in to company applications through single sign-on wherever it is offered. MFA is on for every company account.
3. For any account outside single sign-on, use a unique password of at least 14 characters generated by the company password manager. Never reuse a company password anywhere else.
4. Never approve an MFA prompt you did not start yourself, and never read an MFA code to anyone. Report unexpected prompts to security.
5. Never enter your company credentials on a page you reached from a link in an email, message or document you were not expecting. Open the application from your bookmarks or the single sign-on portal instead.

**Devices**

6. Work on a company-managed device enrolled in device management. Managed devices must have full-disk encryption, a screen lock after at most 10 minutes of inactivity, operating system security updates no older than 30 days, an active endpoint protection agent and the host firewall on. Devices that fall out of compliance are blocked from single sign-on until fixed.
7. Do not disable, bypass or uninstall security software or device management.
8. Personal phones and tablets may be used only for company email, chat and calendar, through the approved apps, with a screen lock and a supported operating system. Personal devices must never be used to reach production systems or Customer Data, or to store company files.
9. Lock your screen whenever you step away. Do not leave devices unattended in public places or vehicles, and do not let anyone else, including family members, use a company device.
10. Report a lost or stolen device to IT and security within one hour of noticing, so it can be locked and wiped remotely.
11. Install software only from the company's approved sources. Browser extensions that can read every page you visit need approval from IT.
12. Return every company device on or before your last day. IT wipes or destroys retired devices and keeps the certificate.

**Data and tools**

13. Handle information according to its classification in the Data Retention and Handling Policy. Customer Data stays in the approved systems listed in the data inventory.
14. Never send Customer Data or secrets by email or chat, and never store them in personal accounts, personal cloud storage or on removable media.
15. Share documents with named people or groups, not with "anyone with the link", and remove external access when it is no longer needed.
16. Use only approved AI assistants, signed in with your company account. Never paste Customer Data, credentials or confidential source code into an AI tool that is not approved for that class of data.
17. Do not discuss confidential matters or show Customer Data where others can overhear or see, including on video calls with shared screens.
18. Do not post information about {{company}}'s systems, security measures or customers on public forums or social media.

**Conduct**

19. Company systems are for company work. Limited personal use is allowed if it is lawful, does not interfere with work, and never involves Customer Data.
20. Never try to get around a security control, access data you do not need for your work, or scan, probe or test systems without written approval from the Security Lead.
21. Do not use company systems to harass anyone, or to create, store or send unlawful or offensive material.
22. {{company}} monitors its systems and devices for security purposes, as permitted by law. Personnel should not expect privacy in company systems beyond what the law gives them.

**Offices**

23. Wear or carry your badge in the office, do not hold doors open for people you do not know, and escort your visitors at all times.
24. Do not print Customer Data. Lock away printed confidential material and clear whiteboards after meetings.

**Reporting**

25. Report suspected phishing with the report button in your mail client. Report suspected incidents, lost devices and data sent to the wrong person immediately, and at the latest within one hour, through the channels in the Incident Response Policy.

## Exceptions

1. Exceptions (for example, a device that cannot run the endpoint agent) are requested in Steward as a risk acceptance, stating the rule affected, the reason, the compensating measures and the expiry.
2. The Security Lead approves exceptions. Exceptions last at most 12 months and lapse automatically.
3. No exception is possible to rules 1, 4 and 14.

## Enforcement

Breaches are handled through the disciplinary process and may lead to measures up to dismissal, or termination of a contractor's engagement. Access may be suspended at once while a breach is investigated. Reporting your own mistake promptly always counts in your favour.

## Review

Owner: Security Lead, with the People team. Approver: Executive Sponsor. Reviewed at least every 12 months and after significant changes in how people work (new tools, new office, new device platform). Every person acknowledges this policy within 7 days of starting and after each material change.

## Related controls

- GOV-01 Information security policy set
- AC-02 Unique identities through a central identity provider
- AC-03 Enforced multi-factor authentication
- VUL-05 Managed endpoint security
- PHY-02 Office and device physical safeguards
`,
  },
  {
    key: 'access_control',
    title: 'Access Control Policy',
    summary:
      'How access to systems and Customer Data is requested, approved, authenticated with MFA, reviewed every quarter and removed within one business day of leaving.',
    annexSections: [2, 4, 11],
    controlRefs: ['AC-01', 'AC-02', 'AC-03', 'AC-04', 'AC-05', 'NET-04', 'DAT-03'],
    reviewCadenceMonths: 12,
    audience: 'everyone',
    body: `# Access Control Policy

## Purpose

This policy makes sure that only the right people reach {{company}}'s systems and Customer Data, with no more access than their work needs, for no longer than they need it, and that every access can be traced to one person and one approval.

## Scope

This policy covers every account on every system in the systems inventory: production infrastructure and cloud accounts, systems that hold Customer Data, the identity provider, source code hosting, CI/CD, internal tools and the company's business applications. It applies to personnel, contractors, service accounts and supplier staff.

## Roles and responsibilities

- **System owners**: keep their system's role catalogue current, approve access requests, run the quarterly access review and confirm revocations.
- **Managers**: request access for their people, confirm role changes and notify the People team of departures.
- **People team**: records start dates, role changes and last working days in the HR system, which feeds the identity provider and Steward.
- **IT**: operates the identity provider, provisions and deprovisions accounts and handles device return.
- **Security Lead**: owns this policy, approves exceptions (including MFA exceptions) and monitors the access checks in Steward.
- **All personnel**: use only their own accounts and request only the access they need.

## Policy

**Principles and roles**

1. Access is denied by default. It is granted only by assigning a role from the system's role catalogue, through a request that records the business need and is approved by the system owner or their delegate. Nobody approves their own request.
2. Every production system and every system holding Customer Data is recorded in the systems inventory with an owner and a role catalogue. System owners review the catalogue every 12 months and remove roles and permissions no longer needed.
3. Cloud and database permissions are defined as code and change through peer-reviewed pull requests. Ad-hoc grants in a console are not allowed outside an emergency.
4. Standing administrative access to production is limited to a short list approved by the system owner, each entry with a written justification. Everyone else obtains production administrator rights through just-in-time elevation that records the reason and approver and expires automatically after at most 8 hours.

**Identities and authentication**

5. Workforce identities live in one identity provider, fed from the HR system. Every application that supports single sign-on is connected to it.
6. Each person has one account per system, used by them alone. Shared accounts for people are not allowed.
7. Service accounts have a named owner, the minimum permissions they need and no interactive sign-in. Break-glass accounts exist only for identity provider outages: their credentials are sealed, any use raises an alert, and they are rotated after each use. Owners review service and break-glass accounts every 6 months.
8. MFA is required for every workforce sign-in. Administrators of the identity provider, cloud accounts, production systems and Steward use phishing-resistant factors (security keys or passkeys). Text-message and voice-call codes are not accepted for any company account.
9. Systems outside single sign-on enforce MFA themselves. Cloud root or owner accounts have hardware-backed MFA, no long-lived access keys, and are used only for the few tasks that need them.
10. Where passwords are used, systems require at least 14 characters, reject known-breached passwords and do not force periodic changes; a password is changed immediately when exposure is suspected.
11. Identity provider sessions last at most 24 hours and administrative console sessions at most 12 hours before the user signs in again with MFA.

**Joiners, movers and leavers**

12. Joiners receive the baseline access of their role on their start date, and anything more through an approved request. Accounts are not activated before the confidentiality agreement is signed; access to Customer Data or production waits for cleared screening.
13. When a person changes role, the access of the new role is granted and access that no longer fits is removed within 5 business days of the change.
14. Leavers are disabled in the identity provider on their last working day (immediately for involuntary departures) and on every other system within one business day (24 hours). Their sessions, tokens and personal API keys are revoked, and production secrets they could read are rotated within 5 business days.
15. Every quarter, the Security Lead audits a sample of joiners, movers and leavers to confirm each access change was approved and completed on time.

**Reviews**

16. Every quarter, system owners review all privileged and production accounts and all accounts on systems holding Customer Data in an access review campaign in Steward. Each grant is kept or revoked with a recorded decision; campaigns complete within 14 days of launch.
17. Nobody reviews their own access; a person's own grants are reviewed by their manager or another owner.
18. Revocations decided in a review are carried out within 5 business days and confirmed on the system.

**Administrative paths and support access**

19. Shell, database and other administrative access to production goes only through the approved access gateway, which enforces single sign-on with MFA, limits sessions to 8 hours and records them. No administrative interface is exposed to the internet.
20. Personnel access a customer's Customer Data for support only through a just-in-time grant linked to a ticket, approved by a designated approver (or by the customer where the product supports it), which expires automatically within 24 hours. Every grant and action is logged, and grants and logs are reviewed every quarter.

## Exceptions

1. Exceptions are requested in Steward as a risk acceptance with the rule affected, the accounts or systems in scope, the reason, compensating measures and an expiry.
2. The Security Lead approves exceptions; the Executive Sponsor approves any exception above the risk tolerance.
3. MFA exceptions last at most 90 days and are reviewed every quarter. Other exceptions last at most 12 months.
4. No exception is possible to rule 6 (no shared personal accounts) or to leaver deprovisioning under rule 14.

## Enforcement

Sharing accounts, bypassing MFA or using access beyond one's role are breaches handled through the disciplinary process. Accounts found without an owner or outside policy are disabled. Access may be suspended at once while a breach is investigated.

## Review

Owner: Security Lead, with IT. Approver: Executive Sponsor. Reviewed at least every 12 months and after changes to the identity provider or major systems. The quarterly access reviews and their evidence are recorded in Steward.

## Related controls

- AC-01 Role-based, least-privilege access
- AC-02 Unique identities through a central identity provider
- AC-03 Enforced multi-factor authentication
- AC-04 Joiner, mover and leaver workflow
- AC-05 Quarterly privileged access reviews
- NET-04 Gated administrative access
- DAT-03 Just-in-time support access to Customer Data
`,
  },
  {
    key: 'encryption_key_management',
    title: 'Encryption and Key Management Policy',
    summary:
      'Approved algorithms, TLS 1.2 or later in transit, AES-256 at rest, keys held in a managed HSM-backed service and rotated yearly, and secrets kept in a secret store and rotated.',
    annexSections: [3, 12],
    controlRefs: ['ENC-01', 'ENC-02', 'ENC-03', 'ENC-04', 'PHY-02'],
    reviewCadenceMonths: 12,
    audience: 'engineering',
    body: `# Encryption and Key Management Policy

## Purpose

This policy sets how {{company}} uses cryptography to protect Customer Data and company information in transit and at rest, and how it generates, stores, uses, rotates and retires encryption keys and application secrets.

## Scope

This policy covers every production system and data store, every public and internal endpoint of the Service, backups, company devices, the code that implements cryptography, and every key, certificate, credential and token used by {{company}}'s systems.

## Roles and responsibilities

- **Platform team**: operates the key management service, the secret store, certificates and the infrastructure-code modules that apply encryption by default.
- **Engineers**: use only approved algorithms and libraries, never commit secrets, and rotate the secrets of the services they own.
- **Security Lead**: owns this policy, reviews key access every year, runs the secret scanning program and approves exceptions.
- **IT**: enforces full-disk encryption on company devices.

## Policy

**Approved cryptography**

1. Use well-maintained, standard libraries and the cloud provider's encryption services; never design or implement your own cryptographic algorithm or protocol.
2. Approved algorithms: AES-256 in an authenticated mode (GCM) or ChaCha20-Poly1305 for symmetric encryption; RSA with keys of at least 3072 bits for new keys (2048 bits only for publicly issued TLS certificates), or ECDSA and EdDSA on P-256, P-384 or Ed25519 for asymmetric operations; SHA-256 or stronger for hashing; Argon2id, scrypt or bcrypt for stored passwords.
3. MD5, SHA-1, DES, 3DES and RC4 must not be used for any security purpose.

**Encryption in transit**

4. All Customer Data crossing public networks is encrypted with TLS 1.2 or TLS 1.3. SSL and TLS 1.0 and 1.1 are disabled, and only cipher suites with forward secrecy and authenticated encryption are offered.
5. Public endpoints redirect plain HTTP to HTTPS and send an HSTS header with a max-age of at least one year.
6. Certificates are issued by a public certificate authority and renewed automatically by the cloud provider or over ACME, at least 30 days before expiry. An alert fires when any certificate on a registered endpoint is within 14 days of expiry.
7. Connections to databases, caches and queues, and between services across a network, use TLS wherever the platform supports it. Certificate verification is never disabled in production code.
8. Protocol versions and cipher suites on public and internal endpoints are reviewed against current guidance every 12 months.

**Encryption at rest**

9. Production databases, block volumes, object storage, snapshots and backups are encrypted at rest with AES-256 using the cloud provider's native encryption and keys from the key management service.
10. Infrastructure-code modules enable encryption by default, and account-level policies refuse the creation of unencrypted storage.
11. Particularly sensitive fields, such as credentials customers give the Service to reach their own systems, are additionally encrypted at the application level with envelope encryption.
12. Company laptops use full-disk encryption, with recovery keys escrowed in device management.
13. Where a storage service cannot encrypt at rest, the gap and its compensating safeguard are recorded as an exception and reviewed every 12 months.

**Key management**

14. Keys that protect Customer Data are created and held in the cloud provider's HSM-backed key management service as customer-managed keys. Key material is never exported.
15. Automatic rotation is enabled on every customer-managed key, with a rotation period of at most 12 months. A key suspected of compromise is rotated at once and the affected data is re-encrypted.
16. Key policies allow use only by the named service roles that need the key and administration only by the platform group. No key policy grants access to wildcard principals.
17. Every key operation is logged in the cloud audit trail. Scheduling a key for deletion uses a waiting period of at least 7 days and raises an alert.
18. Every 12 months the Security Lead reviews key policies and key administrators for every key protecting Customer Data and removes access no longer needed.

**Secrets**

19. Application secrets, database credentials, API tokens, signing keys and private keys are kept only in the managed secret store and injected at runtime. They never appear in source code, configuration files, container images, CI logs, tickets, chat or documents.
20. Short-lived credentials issued through workload identity or federation are preferred over stored secrets wherever the platform supports them.
21. Secret scanning with push protection runs on every repository. A secret found in code, logs or anywhere else it should not be is treated as exposed: it is rotated without delay, and within 24 hours at the latest, and the exposure is recorded as a vulnerability or an incident.
22. Every stored secret is rotated at least every 12 months. Highly privileged secrets (cloud administrator credentials, database superuser passwords, token-signing keys, identity provider admin tokens and deployment credentials) are rotated at least every 90 days.
23. Personnel have no standing read access to production secrets. When a person who has read a production secret leaves, that secret is rotated within 5 business days.
24. Every 6 months the platform team reviews secrets approaching or past their maximum age and confirms that every leaked-secret alert was handled.

## Exceptions

1. Exceptions (for example, a supplier that supports only an older TLS version on a non-customer integration) are requested in Steward as a risk acceptance stating the requirement, the reason, the compensating measures and an expiry.
2. The Security Lead approves exceptions; the Executive Sponsor approves any exception affecting encryption of Customer Data.
3. Exceptions last at most 12 months. No exception is possible to storing secrets in source code.

## Enforcement

Builds that fail secret scanning or encryption checks are blocked. Committing secrets, disabling certificate verification or creating unencrypted production storage are breaches handled through the disciplinary process, and the affected secrets are rotated regardless.

## Review

Owner: Head of Platform. Approver: Security Lead and Executive Sponsor. Reviewed at least every 12 months and whenever cryptographic guidance changes materially (for example, an algorithm is deprecated).

## Related controls

- ENC-01 TLS for data in transit
- ENC-02 Encryption at rest for production data
- ENC-03 Managed key management
- ENC-04 Secrets management and rotation
- PHY-02 Office and device physical safeguards
`,
  },
  {
    key: 'network_security',
    title: 'Network Security Policy',
    summary:
      'Segmented production networks, deny-by-default firewall rules managed as code, DDoS and web application firewall protection, and administrative access only through a gateway with MFA.',
    annexSections: [4],
    controlRefs: ['NET-01', 'NET-02', 'NET-03', 'NET-04'],
    reviewCadenceMonths: 12,
    audience: 'engineering',
    body: `# Network Security Policy

## Purpose

This policy limits who and what can talk to {{company}}'s production systems, so that an attacker who gains a foothold in one place cannot reach Customer Data from there, and so that the Service stays reachable under attack.

## Scope

This policy covers the networks, cloud accounts, security groups, firewall rules, load balancers, content delivery and DNS of the Service in every environment, and the corporate networks in {{company}}'s offices.

## Roles and responsibilities

- **Platform team**: designs and operates the network, keeps the network diagram current and reviews firewall rules.
- **Engineers**: request network changes through infrastructure code and justify every rule they add.
- **Security Lead**: owns this policy, reviews the architecture every year and approves exceptions.
- **IT**: operates office networks and Wi-Fi.

## Policy

**Segmentation**

1. Production runs in dedicated cloud accounts and virtual networks, separate from corporate IT, development and staging. No peering or route connects a non-production network to production; CI/CD reaches production only through its defined deployment roles.
2. Databases, caches, queues and search clusters sit in private subnets and have no public address.
3. A diagram of every environment, its boundaries and the allowed flows between them is kept current. The Security Lead and the platform team review it every 12 months and after significant architecture changes.

**Firewall rules**

4. Security groups and firewall rules deny by default, inbound and outbound, and open only the ports, protocols and sources each service needs. From the internet, only load balancers and the content delivery layer accept traffic, and only on ports 80 and 443.
5. Outbound traffic from data tiers is limited to known destinations.
6. All network rules are defined in infrastructure code and change through peer-reviewed pull requests. Manual console changes are allowed only in an emergency under the Secure Development and Change Management Policy and are then reconciled into code.
7. Every rule has an owner and a stated purpose. Rules are reviewed every 6 months and unused rules are removed.
8. Flow logs are enabled on production networks and kept according to the Logging and Monitoring Policy.

**Edge protection**

9. All public hostnames of the Service are served through a content delivery network or load balancer with the provider's DDoS protection and a web application firewall running managed rule sets and rate limits.
10. Origins accept connections only from the protection layer, so it cannot be bypassed.
11. Web application firewall rules, rate limits and the DDoS runbook are reviewed every 12 months and after any attack.

**Administrative access**

12. No administrative interface (SSH, RDP, database, cache or orchestrator API ports) is reachable from the internet on any production address.
13. Shell, database and other administrative sessions into production go through the approved access gateway (a cloud session manager or zero-trust proxy), which enforces single sign-on with MFA, limits sessions to 8 hours and records them. Internal admin tools sit behind single sign-on.
14. Who may use the gateway, and for which targets, is reviewed every 12 months; no other administrative path into production may exist.

**DNS and offices**

15. Domain registrar and DNS provider accounts use single sign-on or MFA and registrar lock. DNS records are managed as code, and records pointing at resources that no longer exist are removed promptly to prevent subdomain takeover.
16. Office networks carry no production traffic. Staff Wi-Fi uses WPA2-Enterprise or WPA3, and the guest network is isolated from every internal resource.

## Exceptions

1. Exceptions (for example, a supplier integration that requires a fixed inbound source address) are requested in Steward as a risk acceptance with the rule affected, the reason, compensating measures and an expiry.
2. The Security Lead approves exceptions; they last at most 12 months. No exception is possible to rule 12.

## Enforcement

Automated checks in Steward flag rules open to the internet, exposed administrative ports and unprotected origins, and the owner must fix or justify them within the remediation deadlines of the Vulnerability Management Policy. Deliberate bypasses of network controls are handled through the disciplinary process.

## Review

Owner: Head of Platform. Approver: Security Lead. Reviewed at least every 12 months and after any significant change to the network architecture.

## Related controls

- NET-01 Segmented environments and networks
- NET-02 Security groups and firewall rules as code
- NET-03 DDoS protection and web application firewall
- NET-04 Gated administrative access
`,
  },
  {
    key: 'secure_development_change',
    title: 'Secure Development and Change Management Policy',
    summary:
      'Security design review, secure coding guidelines, peer review under branch protection, scanning in CI, separate environments, and production changes only through the pipeline.',
    annexSections: [5],
    controlRefs: ['SDL-01', 'SDL-02', 'SDL-03', 'SDL-04', 'GOV-04'],
    reviewCadenceMonths: 12,
    audience: 'engineering',
    body: `# Secure Development and Change Management Policy

## Purpose

This policy makes sure that every change reaching {{company}}'s production environment is intended, reviewed, tested, scanned and traceable, and that security is designed into the Service rather than added afterwards.

## Scope

This policy covers all code, infrastructure code, configuration and database schema of the Service and its supporting tools, every repository that feeds production, the CI/CD pipeline, and the development, staging and production environments.

## Roles and responsibilities

- **Engineers**: follow the secure coding guidelines, review each other's changes and fix findings in their code.
- **Engineering leads**: make sure their teams follow this policy, own the repositories of their services and approve emergency changes while on call.
- **Designated security reviewers**: review designs and changes that touch security-sensitive areas.
- **Platform team**: operates the CI/CD pipeline, branch protection and environments.
- **Security Lead**: owns the secure coding guidelines, the scanning program and this policy, and approves exceptions.

## Policy

**Design**

1. New features or services that handle Customer Data in a new way, change authentication, authorization, tenant isolation or cryptography, or add an external integration receive a security design review before implementation starts. The review records the threats considered and the decisions taken, in the design document.

**Secure coding**

2. Engineers follow {{company}}'s secure coding guidelines. At minimum they require: validating input on the server; parameterized queries; encoding output for its context; checking authorization on the server for every request, including the tenant boundary; safe handling of uploaded files and deserialization; protection against server-side request forgery when fetching user-supplied addresses; secure defaults; error messages and logs that reveal no secrets or Customer Data.
3. The Security Lead updates the guidelines every 12 months from recent findings, incidents and changes in the technology stack.
4. Engineers complete secure development training within 30 days of joining engineering and every 12 months after.

**Peer review**

5. Every change to a production repository goes through a pull request. The main branch is protected: merging needs an approving review from someone other than the author and passing required checks; direct pushes and force pushes are blocked, for administrators too; approvals are dismissed when new commits are pushed.
6. Changes that touch authentication, authorization, tenant isolation, cryptography or security-relevant configuration also need approval from a designated security reviewer, enforced through code ownership rules.

**Dependencies and scanning**

7. CI runs dependency scanning and static analysis on every pull request and on the main branch, secret scanning with push protection on every push, and image scanning on every container build. Each release produces an SBOM in CycloneDX format. Results are uploaded to Steward.
8. A new critical finding fails the build. A new high finding must be fixed or triaged before merge. All findings follow the Vulnerability Management Policy.
9. Dependencies come from official registries, are pinned through lockfiles and are installed in CI from the lockfile only. A new direct dependency is checked for maintenance activity, licence and reputation before it is added. Automated update pull requests run at least weekly.
10. Every quarter the platform team confirms that every production repository and container image runs the required scanners and uploads its results.

**Environments and test data**

11. Development, staging and production each have their own cloud accounts or projects, credentials and access groups. Engineers have no production access by default; they obtain it under the Access Control Policy.
12. Tests use synthetic or masked data. A copy of production Customer Data outside production needs the Security Lead's approval, is recorded with an expiry of at most 30 days, and is protected to production standards. Every 6 months the platform team looks for Customer Data in non-production stores and removes anything unapproved or expired.

**Change management**

13. Changes reach production only through the CI/CD pipeline, from reviewed commits on the protected branch. Each release is recorded with its commits, approver, time and artifact digest. Infrastructure changes follow the same path through infrastructure code.
14. Deployment credentials are held by the pipeline alone; people do not hold credentials that let them deploy directly.
15. Changes with a risk of data loss or downtime (destructive migrations, network or permission changes, major upgrades) describe their rollback or roll-forward plan in the pull request, and are released behind a feature flag or outside peak hours where possible.
16. An emergency change that restores service or contains an incident may bypass the normal path with the approval of the on-call engineering lead, recorded at the time. It is reviewed and approved retrospectively within 5 business days and reconciled into code.
17. Manual changes to production outside the pipeline are not allowed except in an approved emergency session. The cloud audit trail is monitored for them and each one found is investigated.
18. Every quarter, engineering leads and the Security Lead review emergency changes and any change made outside the pipeline, and confirm each has its retrospective approval.

## Exceptions

1. Exceptions (for example, a repository temporarily without a second reviewer in a one-person team) are requested in Steward as a risk acceptance with the rule affected, the reason, compensating measures such as a post-merge review, and an expiry.
2. The Security Lead approves exceptions; they last at most 6 months. No exception is possible to rule 14.

## Enforcement

Branch protection and pipeline controls enforce most of this policy automatically, and Steward checks flag any gap. Bypassing review, deploying outside the pipeline without an emergency, or disabling scanners are breaches handled through the disciplinary process.

## Review

Owner: VP Engineering. Approver: Executive Sponsor. Reviewed at least every 12 months and after significant changes to the development toolchain or deployment process.

## Related controls

- SDL-01 Peer-reviewed changes and branch protection
- SDL-02 Dependency and static analysis in CI
- SDL-03 Separate environments and protected test data
- SDL-04 Production change management
- GOV-04 Security awareness and role-based training
`,
  },
  {
    key: 'vulnerability_management',
    title: 'Vulnerability Management Policy',
    summary:
      'Weekly scanning, severity-based remediation deadlines (critical 7, high 30, medium 90, low 180 days), time-limited risk acceptances, patching, end-of-life tracking and a yearly penetration test.',
    annexSections: [6],
    controlRefs: ['VUL-01', 'VUL-02', 'VUL-03', 'VUL-04', 'VUL-05', 'SDL-02'],
    reviewCadenceMonths: 12,
    audience: 'engineering',
    body: `# Vulnerability Management Policy

## Purpose

This policy makes sure that weaknesses in {{company}}'s code, infrastructure and devices are found, prioritized and fixed before they are exploited, within deadlines that customers can rely on.

## Scope

This policy covers the Service's application code and dependencies, container images, hosts, managed cloud services and cloud configuration, public endpoints, and company devices. It covers findings from scanners, penetration tests, bug reports, researchers, suppliers' advisories and incidents.

## Roles and responsibilities

- **Asset owners** (the team owning a service, repository or system): fix findings on their assets within the deadlines, or request a risk acceptance in time.
- **Engineering leads**: review their teams' open findings every month and plan the work.
- **Platform team**: keeps base images, hosts and managed services patched and the scanners running.
- **IT**: keeps company devices patched and protected.
- **Security Lead**: owns this policy, sets and adjusts severities, approves risk acceptances, commissions the penetration test and reports metrics to leadership.
- **Executive Sponsor**: approves risk acceptances for critical findings.

## Policy

**Finding vulnerabilities**

1. Container images are scanned on every build and continuously in the registry. Production hosts and cloud configuration are scanned at least weekly, and public endpoints are scanned from outside at least weekly. Code and dependencies are scanned on every change as set out in the Secure Development and Change Management Policy.
2. Every asset in scope has a scan result from the last 7 days. Every quarter the Security Lead reconciles scanned assets with the asset inventory and brings any unscanned host, image, cloud account or endpoint into scope.
3. A qualified, independent firm performs a penetration test of the Service's web application, APIs and cloud infrastructure at least every 12 months and after major architecture changes.
4. {{company}} publishes a security.txt file and a vulnerability disclosure policy on its public domains. Researcher reports are acknowledged within 3 business days and handled like any other finding. Good-faith research within the disclosure policy is welcomed, not pursued.
5. The Security Lead follows supplier advisories and public lists of vulnerabilities known to be exploited, and checks them against the components in the SBOMs.

**Triage**

6. Every finding is recorded in Steward, deduplicated, and given an owner, a severity and a due date.
7. Severity starts from the scanner's or vendor's rating (CVSS base severity) and is adjusted for context. It is raised when the vulnerability is known to be exploited or the asset is exposed to the internet. It may be lowered only with a documented reason, such as the vulnerable code not being reachable, approved by the Security Lead.
8. A finding closed as a false positive records the reason, and the Security Lead reviews false-positive closures every month.

**Remediation deadlines**

9. Findings are fixed within these deadlines, counted in calendar days from first detection:
   - Critical: 7 calendar days
   - High: 30 calendar days
   - Medium: 90 calendar days
   - Low: 180 calendar days
10. A vulnerability known to be exploited in the wild on an internet-facing asset is treated as critical, whatever its score. Where exploitation could already have exposed Customer Data, it is also handled as an incident under the Incident Response Policy.
11. A finding counts as fixed only when the fix is in production and a rescan or retest confirms it. Critical and high penetration test findings are retested by the tester or verified by the Security Lead before closure. A summary letter of the latest penetration test is offered to customers on request.

**Patching and end of life**

12. Hosts and containers are rebuilt from patched base images at least monthly, and no running production image is built from a base image more than 30 days old. Managed services stay on supported versions with automatic minor upgrades enabled.
13. Operating systems, runtimes and frameworks nearing end of support are tracked from the SBOMs. Every quarter, components reaching end of support within the next two quarters get an upgrade plan and an owner, and they are replaced before support ends.
14. Company devices install operating system security updates within 30 days of release and run an endpoint protection agent that has reported within the last 7 days; devices that do not comply are blocked from single sign-on.

**Risk acceptance**

15. When a finding cannot be fixed by its due date, its owner requests a risk acceptance in Steward before the deadline passes, stating the reason, the compensating measures and the planned fix date.
16. The Security Lead approves acceptances for high, medium and low findings; the Executive Sponsor approves acceptances for critical findings. An acceptance for a critical or high finding expires after at most 90 days, and for a medium or low finding after at most 180 days. Renewal needs a new approval.
17. A finding past its due date without a current acceptance is a deadline breach. Breaches are reported at the monthly review and at the management security review.

**Oversight**

18. Engineering leads and the Security Lead review open findings every month, focusing on findings nearing or past their due date and acceptances about to expire.
19. The management security review receives the number of open findings by severity, deadline breaches and the median time to fix for each severity.

## Exceptions

1. The risk acceptance process in rules 15 to 17 is the exception process for individual findings.
2. Any other exception, such as excluding an asset from scanning, is requested in Steward as a risk acceptance with the reason, compensating measures and an expiry of at most 12 months, and approved by the Security Lead.

## Enforcement

Deadline breaches are visible to leadership in Steward and escalate to the engineering lead and the Executive Sponsor. Disabling scanners or closing findings without a fix or an approved reason are breaches handled through the disciplinary process.

## Review

Owner: Security Lead. Approver: Executive Sponsor. Reviewed at least every 12 months and whenever the deadlines are changed; a change to the deadlines is also reflected in customer commitments.

## Related controls

- VUL-01 Continuous vulnerability scanning and disclosure intake
- VUL-02 Remediation within severity deadlines
- VUL-03 Patch and end-of-life management
- VUL-04 Annual independent penetration test
- VUL-05 Managed endpoint security
- SDL-02 Dependency and static analysis in CI
`,
  },
  {
    key: 'logging_monitoring',
    title: 'Logging and Monitoring Policy',
    summary:
      'What production systems must log and never log, central collection, tamper-evident audit trails, alerting to a 24/7 on-call, and retention of 12 months with 90 days searchable.',
    annexSections: [7],
    controlRefs: ['LOG-01', 'LOG-02', 'LOG-03', 'LOG-04'],
    reviewCadenceMonths: 12,
    audience: 'engineering',
    body: `# Logging and Monitoring Policy

## Purpose

This policy makes sure {{company}} records what happens in its production systems, notices suspicious activity and outages quickly, can reconstruct who did what during an investigation, and keeps logs for as long as customers and the law expect.

## Scope

This policy covers application, infrastructure, cloud control-plane, database, identity provider, access gateway, endpoint protection and network flow logs of the Service and its supporting systems, the central log platform, alert rules and the on-call rotation.

## Roles and responsibilities

- **Platform team**: operates the central log platform, log shipping, the log source inventory and retention settings.
- **Service owners**: make sure their services emit the required events without sensitive data.
- **On-call engineers**: acknowledge and triage alerts around the clock.
- **Security Lead**: owns this policy, the security alert rules and the privileged activity review.
- **Legal**: places and releases legal holds.

## Policy

**What to log**

1. Production systems log security-relevant events: sign-ins and failed sign-ins, MFA changes, role and permission changes, administrative actions, configuration changes, creation and revocation of API tokens, data exports, support access to Customer Data, and errors.
2. Each event records at least the time in UTC, the actor (person or service), the action, the target, the outcome, the source address and a request or correlation identifier. All systems synchronize their clocks over NTP.
3. Logs never contain passwords, MFA secrets, session tokens, API keys, private keys or the content of Customer Data records beyond the identifiers needed to investigate. Logging libraries redact known sensitive fields. A secret found in a log is treated as exposed under the Encryption and Key Management Policy.

**Collection**

4. Application, infrastructure, cloud audit, identity provider and access gateway logs are shipped to a central log platform in a separate cloud account. Read access is limited to the security and platform teams, and access to the platform is itself logged.
5. Cloud audit logging is enabled in every account and region.
6. The log source inventory in Steward lists each production system and whether it reports. A source silent for more than 24 hours raises an alert. Every quarter the platform team compares the log source inventory with the systems inventory and onboards any system that does not send logs.

**Integrity of audit trails**

7. Logs of privileged operations (cloud control-plane actions, database administration, identity provider administration, support access to Customer Data) are delivered to write-once or integrity-validated storage in a separate account, which administrators of the source systems cannot modify or delete.
8. Steward's own hash-chained audit log is verified continuously, and a verification failure is handled as a security incident.

**Monitoring and alerting**

9. Alert rules cover at least: authentication anomalies such as bursts of failed sign-ins or sign-ins from unusual locations; MFA being disabled or reset; new administrator or privileged grants; identity provider and cloud policy changes; use of cloud root accounts or break-glass accounts; logging being disabled or altered; malware and intrusion detections; unusual volumes of data export; error rates, latency, and uptime measured from outside.
10. Alerts page a 24/7 on-call rotation. The on-call schedule has a responder for every hour of the next 14 days. High-severity security and availability pages are acknowledged within 15 minutes at any hour; other security alerts are triaged within one business day.
11. Acknowledgement times are measured and reported at the management security review.
12. External uptime probes cover every public endpoint, and a public status page reports availability incidents.
13. An alert that may indicate a security incident is escalated under the Incident Response Policy.
14. Alert rules are reviewed every 6 months for gaps against recent incidents and threats, and noisy rules are tuned or removed.
15. Every quarter the Security Lead reviews a sample of privileged actions against tickets and approvals. Every use of a break-glass account is reviewed within one business day.

**Retention**

16. Security and audit logs are retained for at least 12 months. The most recent 90 days are immediately searchable in the log platform; older logs are archived, encrypted, and can be restored for investigation.
17. Application and debug logs are retained for 30 days.
18. Logs are deleted automatically when their retention period ends. Longer retention applies only where a contract or the law requires it and is recorded. A legal hold placed by Legal suspends deletion for the logs it names until Legal releases it.
19. Every 12 months the platform team confirms the retention periods still meet contractual and legal needs and that every log store is configured accordingly.

## Exceptions

1. Exceptions (for example, a legacy system that cannot ship logs centrally) are requested in Steward as a risk acceptance with the gap, the reason, compensating measures such as local retention and periodic export, and an expiry.
2. The Security Lead approves exceptions; they last at most 12 months. No exception is possible to rule 3.

## Enforcement

Steward checks flag silent sources, disabled audit trails, wrong retention settings and gaps in the on-call schedule, and the owner fixes them within the deadlines of the Vulnerability Management Policy. Tampering with logs or disabling logging without approval is a serious breach handled through the disciplinary process.

## Review

Owner: Head of Platform. Approver: Security Lead. Reviewed at least every 12 months and after any incident where missing logs or alerts slowed the response.

## Related controls

- LOG-01 Central log platform
- LOG-02 Security and availability alerting with on-call
- LOG-03 Tamper-evident audit trail for privileged actions
- LOG-04 Log retention
`,
  },
  {
    key: 'incident_response',
    title: 'Incident Response Policy',
    summary:
      'How anyone reports a suspected incident within one hour, how severity, roles and escalation work, how evidence is kept, and how customers and regulators are notified on time.',
    annexSections: [8],
    controlRefs: ['IR-01', 'IR-02', 'IR-03'],
    reviewCadenceMonths: 12,
    audience: 'everyone',
    body: `# Incident Response Policy

## Purpose

This policy sets out how {{company}} prepares for, detects, handles and learns from security incidents, and how it informs affected customers and authorities within the deadlines it has promised or the law sets.

## Scope

This policy applies to all personnel and to every suspected or confirmed security incident affecting {{company}}'s systems, devices, suppliers or data, in particular Customer Data.

A **security incident** is any event that compromises, or threatens to compromise, the confidentiality, integrity or availability of Customer Data or of {{company}}'s systems, or that breaks the security policies. Examples: a phishing email that captured a password, a lost laptop, Customer Data sent to the wrong recipient, malware on a device, a leaked credential, an attacker in production, or an outage caused by an attack.

A **data incident** is a security incident in which Customer Data or Personal Data was, or is reasonably believed to have been, accessed, disclosed, altered, lost or destroyed without authorization. **Confirmation** is the moment the Incident Commander, with Legal, records that an incident is a data incident.

## Roles and responsibilities

- **All personnel**: report suspected incidents at once and follow the responders' instructions.
- **On-call engineer**: first responder for alerts and reports; opens the incident record and assigns the initial severity.
- **Incident Commander**: leads the response, decides, assigns work and keeps the timeline; by default the Security Lead or an engineering lead on the escalation roster.
- **Technical responders**: investigate, contain, eradicate and recover under the Incident Commander's direction.
- **Communications Lead**: drafts internal updates and all external communication; nobody else speaks for {{company}} about an incident.
- **Legal**: decides on notification duties, approves notices and handles law enforcement.
- **Executive Sponsor**: informed of high and critical incidents, approves major decisions such as taking the Service offline.
- **Customer Success**: confirms customer security contacts and supports customer follow-up.

## Policy

**Severity levels**

1. Every incident receives a severity, which the Incident Commander may change as facts emerge:
   - SEV1, critical: confirmed or likely access to Customer Data by an unauthorized party, an attacker active in production, or the Service unavailable for all customers.
   - SEV2, high: compromise of a privileged account or a production system without evidence of Customer Data access, ransomware on a company device, or a major degradation of the Service.
   - SEV3, medium: a contained compromise of one non-privileged account or device, or a policy breach with limited exposure.
   - SEV4, low: a blocked attempt, a reported phishing email nobody acted on, or a minor policy deviation.

**Preparation**

2. This policy and its runbooks (account compromise, leaked secret, lost device, malware, data sent to the wrong recipient, DDoS) are reviewed every 12 months.
3. The escalation roster in Steward names a holder and a deputy for every role above, all active personnel. Contact lists for customers, regulators, insurers and key suppliers are kept current.
4. A tabletop exercise with responders and executives is held every 12 months. Its lessons and follow-up actions are recorded and tracked to closure.
5. The reporting channels are published on the intranet and taught in awareness training: the security chat channel, the security mailbox, the on-call paging number, and the report button in the mail client for phishing.

**Reporting and triage**

6. Anyone who suspects an incident reports it immediately, and at the latest within one hour of noticing. Reporters do not investigate on their own, delete evidence, contact the attacker or discuss the incident outside the response team. A false alarm is always better than a late report.
7. The on-call engineer acknowledges SEV1 and SEV2 pages within 15 minutes at any hour. Every other report is triaged and given a severity within 4 business hours.
8. Every suspected incident is opened as a record in Steward with its severity, roles and a timestamped timeline of facts, decisions and actions.

**Handling**

9. An Incident Commander is appointed within 30 minutes of a SEV1 or SEV2 being declared.
10. Escalation: for a SEV1, the Executive Sponsor, the Chief Executive Officer and Legal are informed within one hour of declaration; for a SEV2, the Executive Sponsor and Legal within 4 hours.
11. Incidents move through triage, containment, eradication, recovery and post-incident review. Containment comes first: isolate affected systems, revoke sessions and credentials, rotate exposed secrets and block malicious indicators, before cleaning up.
12. Evidence is preserved before systems are changed: logs, snapshots of disks and, where useful, memory. Compromised machines are isolated from the network rather than switched off. Evidence files are stored in Steward with their hash, and every hand-over is recorded.
13. During a SEV1 the Communications Lead sends internal status updates at least every 2 hours, and during a SEV2 at least twice a day. Incident discussion happens in a dedicated channel limited to those who need to know.

**Notification**

14. Confirmation time is recorded in Steward. Affected customers are notified within the deadline in their contract, counted from confirmation; where a contract sets no deadline, within 72 hours of confirmation.
15. A notice states what happened, the categories and approximate volume of data affected, the likely consequences, the measures taken and planned, and a contact point. Affected customers receive updates as material facts change, and at least weekly until the incident is closed.
16. Where {{company}} is the controller of Personal Data (for example, its own personnel's or customers' contact data), Legal notifies the competent supervisory authority within 72 hours of becoming aware, as required by data protection law, unless the incident is unlikely to result in a risk to individuals. Where {{company}} is a processor, it gives customers the information they need for their own notifications.
17. Notices are drafted from templates approved by Legal, and every notice sent is recorded with its delivery status. Templates, contractual deadlines and customer security contacts are reviewed every 12 months.
18. Statements to the press, on social media or to law enforcement are made only by the Chief Executive Officer or Legal.

**Learning**

19. Every SEV1 and SEV2 incident receives a blameless post-incident review within 10 business days of recovery, covering the timeline, root causes, what worked and what did not. Follow-up actions get owners and due dates and are tracked to closure in Steward.
20. Every quarter the Security Lead reviews the quarter's incidents, open follow-up actions and recurring causes, and reports trends to the management security review.

## Exceptions

1. Deviations decided during an incident (for example, delaying a customer notice at the request of law enforcement) are approved by the Incident Commander with Legal and recorded in the incident timeline with the reason.
2. Any standing exception to this policy is requested in Steward as a risk acceptance, approved by the Executive Sponsor, and lasts at most 12 months.

## Enforcement

Failing to report a known incident, destroying evidence or communicating externally without authorization are serious breaches handled through the disciplinary process. Reporting an incident in good faith, including one's own mistake, is never punished.

## Review

Owner: Security Lead. Approver: Executive Sponsor. Reviewed at least every 12 months, after every tabletop exercise and after every SEV1 incident.

## Related controls

- IR-01 Incident response plan, roles and exercises
- IR-02 Incident tracking, handling and post-incident review
- IR-03 Customer and regulator notification
`,
  },
  {
    key: 'business_continuity_dr',
    title: 'Business Continuity and Disaster Recovery Policy',
    summary:
      'Recovery objectives per system tier, daily encrypted backups kept off-site, monthly restore tests, a yearly disaster recovery test, and multi-zone design.',
    annexSections: [9],
    controlRefs: ['BCP-01', 'BCP-02', 'BCP-03'],
    reviewCadenceMonths: 12,
    audience: 'engineering',
    body: `# Business Continuity and Disaster Recovery Policy

## Purpose

This policy makes sure {{company}} can keep the Service running through common failures, recover it within agreed times after a disaster, and never lose more data than its recovery objectives allow.

## Scope

This policy covers the production systems and data stores of the Service, the systems {{company}} needs to operate and support it (identity provider, source code hosting, CI/CD, on-call and support tools), and the people and suppliers those depend on.

**Recovery time objective (RTO)**: the longest acceptable time to restore a system after a disruption. **Recovery point objective (RPO)**: the largest acceptable amount of data loss, measured in time before the disruption.

## Roles and responsibilities

- **Head of Platform**: owns the disaster recovery plan, backups and the yearly test.
- **System owners**: set and meet the recovery objectives of their systems and keep their runbooks current.
- **Incident Commander**: decides, with the Executive Sponsor, when to invoke disaster recovery.
- **Security Lead**: verifies the evidence of backups, restore tests and recovery tests.
- **Executive Sponsor**: approves the plan and the recovery objectives.

## Policy

**Recovery objectives**

1. Each system is assigned a tier and recorded in Steward with its RTO, its RPO and a link to its recovery runbook. Unless the disaster recovery plan sets stricter figures, the defaults are:
   - Tier 1 (the customer-facing Service and its data stores): RTO 4 hours, RPO 1 hour.
   - Tier 2 (systems needed to operate and support the Service): RTO 24 hours, RPO 24 hours.
   - Tier 3 (other business systems): RTO 5 business days, RPO 24 hours.
2. {{company}} never promises customers a recovery time or data-loss limit tighter than what the latest disaster recovery test achieved.

**Backups**

3. Production databases are backed up automatically with daily snapshots and continuous point-in-time recovery. Object stores holding Customer Data use versioning or daily backups.
4. Backups are encrypted with AES-256, copied to a separate cloud account in a different region, and protected against deletion so that production administrators cannot remove them.
5. Backups are kept for 35 days and then expire automatically.
6. An alert fires when a Tier 1 or Tier 2 data store has no successful backup in the last 24 hours, and the failure is fixed within one business day.
7. Every month a recent backup of a critical data store is restored into an isolated environment, its contents are verified (for example by record counts, checksums and an application smoke test), and the time taken is recorded and compared with the RTO. The monthly tests rotate so that every Tier 1 data store is restored at least once every 12 months.

**Disaster recovery**

8. The disaster recovery plan lists the critical systems, their objectives, the recovery region, the runbooks, the roles, the contact lists and who may invoke it.
9. All production infrastructure is defined as code, and the images and artifacts needed to rebuild it are available in the recovery region.
10. The plan is tested at least every 12 months by recovering the Service, or a defined critical part of it, in the recovery region, or by a realistic simulation. The test report compares the achieved recovery times and data loss with the objectives, and every gap becomes a tracked action with an owner and a due date.
11. The plan is re-approved after each test and after any major architecture change.

**Resilience and capacity**

12. Production databases run with a standby in another availability zone. Application tiers run at least two instances across zones behind health-checked load balancers, with autoscaling.
13. Capacity of compute, storage and databases is monitored with alerts at 80% of a limit, and reviewed every quarter against growth so that increases happen before limits are reached.

**Business continuity**

14. Every critical business function (on-call, customer support, security response, payroll and billing) has a named deputy, and personnel can work fully remotely if an office is unavailable.
15. The continuity of critical suppliers is assessed during supplier due diligence, and the plan states how {{company}} operates if each one is unavailable.
16. During a major outage the status page is updated at least every hour until the Service is restored.

## Exceptions

1. Exceptions (for example, a Tier 2 system whose vendor offers no export for backup) are requested in Steward as a risk acceptance with the gap, the reason, compensating measures and an expiry.
2. The Security Lead approves exceptions, and the Executive Sponsor approves any exception affecting a Tier 1 system. Exceptions last at most 12 months.

## Enforcement

Steward checks flag failed backups, missing off-site copies, overdue restore tests and systems without recovery objectives, and they are reported at the management security review. Disabling backups or deletion protection without approval is a breach handled through the disciplinary process.

## Review

Owner: Head of Platform. Approver: Executive Sponsor. This policy and the disaster recovery plan are reviewed at least every 12 months, after each disaster recovery test and after any invocation of the plan.

## Related controls

- BCP-01 Encrypted backups with monthly restore tests
- BCP-02 Disaster recovery plan and annual test
- BCP-03 Resilient multi-zone architecture
`,
  },
  {
    key: 'vendor_subprocessor_management',
    title: 'Vendor and Subprocessor Management Policy',
    summary:
      'Registering every supplier, due diligence before data is shared and yearly after, data processing agreements, and a 30-day notice to customers before a new subprocessor receives their data.',
    annexSections: [10, 12],
    controlRefs: ['SUP-01', 'SUP-02', 'SUP-03', 'PHY-01'],
    reviewCadenceMonths: 12,
    audience: 'people_managers',
    body: `# Vendor and Subprocessor Management Policy

## Purpose

This policy makes sure that suppliers who touch {{company}}'s systems or data, and above all the subprocessors that handle Customer Data, are chosen carefully, bound by contract, monitored, and disclosed to customers in advance.

## Scope

This policy applies to every supplier of software, cloud services, data, professional services or staff to {{company}}, including free tools, trials, browser extensions and AI services that process company data, and to everyone who selects, buys or manages them.

A **subprocessor** is a supplier that processes Customer Data on {{company}}'s behalf. A **critical supplier** is one whose failure or compromise would materially affect the Service or {{company}}'s security.

## Roles and responsibilities

- **Supplier owner** (the person who requests the supplier): registers it, supplies the information for due diligence, and manages the relationship and offboarding.
- **Security Lead**: assesses security, approves suppliers in Tiers 1 and 2, and reviews attestations every year.
- **Legal**: negotiates and keeps data processing agreements, and reviews the standard supplier terms every year.
- **Finance**: pays only suppliers recorded in the vendor registry.
- **Privacy Lead**: maintains the public subprocessor list and change notices together with the Security Lead.

## Policy

**Registration and tiers**

1. No supplier is used before it is recorded in the vendor registry in Steward with its owner, the data and systems it reaches and its tier:
   - Tier 1: subprocessors and critical suppliers.
   - Tier 2: suppliers with access to confidential company data or company systems, but no Customer Data.
   - Tier 3: suppliers with no access to company data or systems.

**Due diligence**

2. A Tier 1 supplier is assessed before it receives any Customer Data or becomes critical. The assessment uses its SOC 2 Type II report or ISO/IEC 27001 certificate with statement of applicability, or a security questionnaire where neither exists. The reviewer records exceptions in the report, the supplier's own subprocessors, the complementary controls {{company}} must operate, a risk rating and a conclusion, and the Security Lead approves.
3. A Tier 2 supplier is assessed before use from its published security documentation or a short questionnaire, including whether it supports single sign-on and MFA.
4. Tier 1 suppliers are reassessed every 12 months and Tier 2 suppliers every 24 months. Expiry dates of certificates and reports are recorded, and a lapsed certificate or report is followed up within 30 days, with a bridge letter covering any gap.
5. Production hosting providers are used only while they hold a current SOC 2 Type II report or ISO/IEC 27001 certificate covering physical and environmental security. Every 12 months the Security Lead reviews each provider's attestation, its physical security sections and its complementary customer controls, and records the conclusion.

**Contracts**

6. No subprocessor receives Customer Data before a data processing agreement is signed. It covers confidentiality, security measures at least as protective as {{company}}'s own commitments, notification of breaches to {{company}} within 48 hours of the supplier becoming aware, onward subprocessing only with notice, audit rights or equivalent reports, assistance with data subject requests, a lawful mechanism for international transfers, and return or deletion of data when the service ends.
7. Legal reviews the standard supplier data processing agreement every 12 months against current law and customer commitments, and flags subprocessors whose terms fall short.

**Subprocessor changes**

8. The public list of subprocessors in the trust center is generated from the vendor registry.
9. A new or replacement subprocessor does not receive Customer Data until at least 30 days after a change notice is sent to subscribed customers and published in the trust center feed, or longer where a customer's agreement sets a longer notice period.
10. Objections received during the notice period are recorded in Steward and answered before the change takes effect. Where a customer objects on reasonable data protection grounds, {{company}} offers the options set out in that customer's agreement.
11. Every quarter the Privacy Lead compares the published list with the registry, supplier invoices and the infrastructure, to find subprocessors in use but not listed.

**Access and offboarding**

12. Supplier staff who need access to {{company}} systems receive named accounts with MFA under the Access Control Policy, limited to the engagement and removed within one business day of its end.
13. When a supplier is offboarded, its access and integrations are removed, {{company}} data is returned or deleted, and for subprocessors a written confirmation of deletion of Customer Data is obtained and recorded. The subprocessor is then removed from the public list.
14. A breach reported by a supplier is handled as an incident under the Incident Response Policy.

## Exceptions

1. Exceptions (for example, a Tier 1 supplier without a SOC 2 or ISO report that has answered a questionnaire) are requested in Steward as a risk acceptance with the reason, compensating measures and an expiry.
2. The Security Lead approves exceptions for Tier 2 and 3; the Executive Sponsor approves exceptions for Tier 1. Exceptions last at most 12 months.
3. No exception is possible to rules 6 and 9: Customer Data never reaches a subprocessor without a signed agreement and the notice period.

## Enforcement

Finance does not pay unregistered suppliers, and Steward checks flag lapsed assessments, missing agreements and notice periods not respected. Using an unapproved supplier with company or Customer Data is a breach handled through the disciplinary process.

## Review

Owner: Security Lead, with Legal. Approver: Executive Sponsor. Reviewed at least every 12 months and after changes in data protection law or customer contract terms.

## Related controls

- SUP-01 Supplier inventory and due diligence
- SUP-02 Data processing agreements with subprocessors
- SUP-03 Published subprocessor list and change notices
- PHY-01 Physical controls inherited from cloud providers
`,
  },
  {
    key: 'data_retention_handling',
    title: 'Data Retention and Handling Policy',
    summary:
      'Data classification and handling rules, purpose limitation, the records of processing, the retention schedule, deletion after contract end, and just-in-time support access to Customer Data.',
    annexSections: [5, 11, 13],
    controlRefs: ['DAT-01', 'DAT-02', 'DAT-03', 'SDL-03', 'CUS-03'],
    reviewCadenceMonths: 12,
    audience: 'everyone',
    body: `# Data Retention and Handling Policy

## Purpose

This policy makes sure {{company}} collects only the data it needs, uses Customer Data only to provide the Service as agreed, handles each kind of information with the care it requires, and deletes data when it is no longer needed.

## Scope

This policy applies to all personnel and to all information {{company}} holds, in any system or form: Customer Data, Personal Data, company information, backups, logs and paper.

## Roles and responsibilities

- **Privacy Lead**: owns this policy, the records of processing and the retention schedule, and runs privacy reviews.
- **Data owners** (the owner of each system or data store): classify their data, keep its entry in the records of processing current and make sure deletion runs.
- **Engineering**: builds and operates the deletion jobs and the customer processing settings.
- **Support**: follows the support access rules when helping customers.
- **Legal**: keeps the customer terms current and places legal holds.
- **All personnel**: handle information according to its classification.

## Policy

**Classification**

1. All information is classified in one of four levels. Information without a label is treated as Confidential.
   - Restricted: Customer Data; secrets and credentials; sensitive personnel records such as screening outcomes, health and pay data.
   - Confidential: non-public company information such as source code, contracts, financials, security documents and customer lists.
   - Internal: everyday company information not meant for the public.
   - Public: information approved for publication.

**Handling**

2. Restricted information is kept only in the approved systems listed in the records of processing, encrypted in transit and at rest, and reachable only by roles that need it.
3. Restricted information never goes into email, chat, personal accounts, personal devices, removable media, unapproved AI tools or paper. Customer files sent to support are kept only in the support ticket system, never in mailboxes or chat.
4. Customer Data is shared outside {{company}} only with the customer it belongs to, with subprocessors under the Vendor and Subprocessor Management Policy, or where the law requires it, with Legal's approval.
5. Confidential information stays in company systems and is shared with third parties only under a confidentiality agreement.
6. Production Customer Data is not copied to development or staging. The only exception is a copy approved by the Security Lead under the Secure Development and Change Management Policy, recorded with an expiry of at most 30 days.

**Purpose limitation and minimization**

7. Customer Data is used only to provide, support and secure the Service as the customer's agreement describes. Any new use, including analytics, product improvement or training of machine learning models, requires a privacy review by the Privacy Lead and Legal, and the customer's agreement where the contract requires it, before it starts.
8. The Service gives customer administrators settings to choose which sources and datasets are connected, to exclude or mask fields, and to turn off features that read record-level data. Processing honors these settings; automated tests verify that excluded data is not ingested, and changes to the settings appear in the customer's audit log.
9. Product and security review the processing settings and their documentation every 12 months against the features released during the year.

**Records of processing**

10. The records of processing in Steward list each category of data, its purpose, the systems and subprocessors holding it, the storage regions, the retention period and the owner. A new processing activity is recorded before it starts, and data owners review their records every 12 months.

**Retention schedule**

11. Unless a contract or the law requires otherwise, the following periods apply:
    - Customer Data in the Service: for the duration of the customer's subscription. After the contract ends, and after any agreed export window, it is deleted from production systems within 30 days.
    - Customer Data the customer deletes in the Service: purged from production systems within 30 days.
    - Backups: 35 days, after which deleted data no longer exists in any backup.
    - Support attachments containing Customer Data: deleted 90 days after the ticket closes.
    - Security and audit logs: 12 months, of which 90 days are searchable; application logs: 30 days.
    - Personnel records: as required by employment law in each country, as set by the People team with Legal.
    - Candidate data for unsuccessful applicants: 6 months after the hiring decision, unless the candidate agrees to longer.
    - Billing and accounting records: as required by tax law in each country, as set by Legal.
12. Retention is enforced by automated deletion jobs wherever possible, and the jobs log their runs. Every quarter the Privacy Lead verifies deletion for a sample of expired data and terminated customers and attaches the job logs in Steward.
13. A legal hold placed by Legal suspends deletion of the data it names until Legal releases it.
14. Deletion of Customer Data after termination is confirmed in writing to the customer on request.
15. Retired devices and media are wiped with cryptographic erasure or physically destroyed, and the certificate is kept.

**Support access**

16. Personnel access a customer's Customer Data for support only through a just-in-time grant linked to a ticket that justifies it, approved by a designated approver (or by the customer where the product supports it), and expiring automatically within 24 hours.
17. Every grant and every action taken under it is logged. Support access grants and their logs are reviewed every quarter against the tickets, and a customer's logs are provided to that customer on request.

**Customer requests and responsibilities**

18. Requests from individuals about Personal Data in Customer Data are forwarded to the customer concerned within 5 business days; {{company}} helps the customer answer but does not answer on its behalf unless instructed.
19. Customer Data is stored in the regions stated in the customer's agreement, and international transfers follow the mechanisms in the data processing agreement.
20. The terms of service and the data processing agreement state that customers are responsible for the lawfulness of the Personal Data they submit, including notices and consents, and describe what data the Service processes and why. Legal reviews them every 12 months.

## Exceptions

1. Exceptions (for example, longer retention requested by a customer) are requested in Steward with the rule affected, the reason, the data concerned and an expiry, and approved by the Privacy Lead with the Security Lead.
2. Exceptions last at most 12 months. Retention required by law or a legal hold is not an exception and is recorded as such.

## Enforcement

Steward checks flag data kept beyond its retention period, data stores missing from the records of processing, and support access without approval or past expiry. Mishandling Restricted information is a breach handled through the disciplinary process; reporting a mistake at once, such as data sent to the wrong person, limits its harm and counts in the reporter's favour.

## Review

Owner: Privacy Lead. Approver: Executive Sponsor. Reviewed at least every 12 months and after changes in data protection law, the product's data flows or customer contract terms.

## Related controls

- DAT-01 Customer-configurable processing limits
- DAT-02 Data inventory, purpose limitation and retention
- DAT-03 Just-in-time support access to Customer Data
- SDL-03 Separate environments and protected test data
- CUS-03 Contract terms on customer-submitted data
`,
  },
  {
    key: 'background_screening',
    title: 'Background Screening Policy',
    summary:
      'Which checks apply to which roles, where the law allows them, clearance before access to Customer Data or production, confidentiality agreements, and keeping only the outcome and dates.',
    annexSections: [1],
    controlRefs: ['GOV-05'],
    reviewCadenceMonths: 12,
    audience: 'people_managers',
    body: `# Background Screening Policy

## Purpose

This policy sets out how {{company}} verifies that the people it trusts with Customer Data and production systems are who they say they are and are suitable for their role, in a way that is lawful, proportionate and respectful of candidates' privacy.

## Scope

This policy applies to every new employee, contractor and temporary worker of {{company}}, to people moving into roles that require a higher level of screening, and to the hiring managers, recruiters and People team members who run hiring.

## Roles and responsibilities

- **People team**: decides the screening level for each role, runs screening through the approved provider, records outcomes, keeps the country rules and runs the quarterly audit.
- **Hiring managers**: state in each requisition whether the role will access Customer Data or production systems, and make offers conditional on screening.
- **Legal**: maintains the list of checks permitted in each country and advises on adverse findings.
- **IT and system owners**: grant access to Customer Data or production only when Steward shows screening cleared or a recorded exception.
- **Security Lead**: owns the link between screening and access, and approves exceptions with the Head of People.

## Policy

**Screening levels**

1. Every new hire receives **standard screening**: identity verification and confirmation of the right to work.
2. Roles with access to Customer Data or production systems, finance roles with payment authority, and executives receive **enhanced screening**: standard screening plus verification of employment over at least the last 3 years, verification of professional qualifications the role depends on, and a criminal record check where the law permits it and it is proportionate to the role.
3. Each role's screening level is set before the job is advertised and is stated in the offer.

**Lawful and proportionate**

4. Checks are carried out only where local law permits them, with the candidate's informed consent where the law requires it. Legal maintains a country table listing the checks permitted in each country where {{company}} hires.
5. Where a check is not permitted, Steward records "not permitted" for that person with the reason (for example, the country's law), and the remaining permitted checks are carried out.
6. Candidates are told which checks will be run, by whom, and how the results will be used, before screening starts.

**Timing and access**

7. Screening is completed and cleared before a person receives access to Customer Data or production systems. Offers are conditional on it.
8. A person whose enhanced screening is still in progress on their start date may start with standard access only, without Customer Data or production access, until it clears.
9. Everyone signs a confidentiality agreement before their first day; accounts are not activated without it.
10. A person moving into a role that requires enhanced screening completes it before receiving the new access. Screening is otherwise not repeated periodically, unless a customer contract or the law requires it.
11. Contractors and agency staff with access to Customer Data or production are screened by their employer to an equivalent standard, confirmed in the contract, or screened by {{company}}.

**Data minimization and confidentiality**

12. Screening is run through an approved provider registered in the vendor registry, under a data processing agreement.
13. Steward records only whether screening applies, the level, the status (not started, in progress, cleared, adverse), the completion date and the provider. The screening report itself stays with the provider and, where needed, in the HR system with access limited to the People team. It is never stored in Steward, tickets, email or chat.
14. Only people with the HR permission see screening records.
15. Screening outcomes and dates are kept for the duration of the engagement plus 12 months. Screening data of candidates who are not hired is deleted within 6 months of the hiring decision.

**Adverse findings**

16. An adverse finding is assessed by the Head of People with Legal, taking into account its relevance to the role, how long ago it occurred and the law. Where the law requires, the candidate is told of the finding and given the chance to respond before a decision. The decision and its reason are recorded outside Steward, in the HR system.

**Audit**

17. Every quarter the People team confirms that every person hired in the quarter has a completed screening and a signed confidentiality agreement, or a documented exception, and records the audit in Steward.

## Exceptions

1. Exceptions (for example, a critical hire whose employment history cannot be verified because a former employer has closed) are requested in Steward with the check affected, the reason, compensating measures such as additional references or restricted access, and an expiry.
2. The Head of People and the Security Lead both approve exceptions. Exceptions last at most 12 months or until the missing check is completed.
3. No exception permits a check that local law forbids.

## Enforcement

Granting access to Customer Data or production before screening clears, or storing screening reports outside the permitted places, are breaches handled through the disciplinary process. Providing false information during screening may lead to withdrawal of the offer or dismissal, as local law allows.

## Review

Owner: Head of People. Approver: Executive Sponsor, with Legal. Reviewed at least every 12 months and whenever {{company}} starts hiring in a new country or the law changes.

## Related controls

- GOV-05 Personnel screening and confidentiality agreements
`,
  },
];
