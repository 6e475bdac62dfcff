/** One multiple-choice question; a question may have one or several correct choices. */
export interface QuizQuestion {
  key: string;
  text: string;
  choices: { key: string; text: string }[];
  correctChoiceKeys: string[];
  explanation: string;
}

/** A starter security awareness module Steward offers: Markdown lesson plus a quiz with a pass mark. */
export interface TrainingModuleTemplate {
  key: string;
  title: string;
  summary: string;
  estimatedMinutes: number;
  body: string;
  quiz: { passPercent: number; questions: QuizQuestion[] };
}

/** The starter awareness modules, each with a short quiz passed at 80%. */
export const trainingModuleTemplates: readonly TrainingModuleTemplate[] = [
  {
    key: 'phishing_social_engineering',
    title: 'Phishing and social engineering',
    summary:
      'How attackers use email, chat, phone calls and MFA prompts to trick people, how to spot lookalike domains and pretexts, and what to do when something feels off.',
    estimatedMinutes: 15,
    body: `# Phishing and social engineering

Most breaches at software companies do not start with a clever exploit. They start with a person being persuaded to do something: type a password into the wrong page, approve a sign-in, read out a code, or change a bank account number. This module shows you what those attempts look like at {{company}} today and what to do about them.

## Why attackers target you

You do not need to be an administrator to be a useful target. A single employee account opens the company chat, shared documents and the single sign-on portal, and from there an attacker can message colleagues as you, look for credentials in old documents and try to reach Customer Data. Attackers study LinkedIn, the company website and job adverts to learn names, roles, tools and suppliers, so their messages sound like they come from inside.

## The shapes phishing takes

- **Email** with a link to a fake sign-in page, a "shared document", an invoice or a parcel notice.
- **Chat and text messages** (smishing) that appear to come from IT, a manager or a delivery company.
- **Phone calls** (vishing) from someone claiming to be the service desk, a bank, a supplier or a customer.
- **QR codes** in emails or posters that lead to a sign-in page on your phone, where the address is harder to check.
- **MFA fatigue**: a burst of sign-in approval requests on your phone, hoping you tap "Approve" to make them stop.
- **Payment fraud**: an email from a "supplier" or an "executive" asking to change bank details or pay an urgent invoice.

## Lookalike domains

Attackers register domain names that look like ours or a supplier's at a glance. Suppose the company's real domain is examplecorp.com. All of the following belong to someone else:

- examp1ecorp.com: the letter l replaced by the digit 1.
- exarnplecorp.com: the letter m replaced by r and n, which look like m in many fonts.
- examplecorp-sso.com and examplecorp-payroll.com: a real-sounding word added with a hyphen.
- examplecorp.co or examplecorp.io: the same name under a different ending.
- examplecorp.com.session-check.net: the real name used as the first part of someone else's domain.

The last trick fools many people. A web address is read **from the right**. Take the name between the double slash and the next single slash, and look at its last two parts: they name the domain whose owner controls the page. In examplecorp.com.session-check.net, the owner is session-check.net, whatever comes before it. In login.examplecorp.com, the owner is examplecorp.com, which is ours.

Practical habits:

1. Open important sites (the single sign-on portal, payroll, the cloud console) from your bookmarks, never from a link in a message.
2. If the single sign-on page asks for your password when you were already signed in, or the password manager does not offer to fill it in, stop. The password manager matches the exact domain, so its silence is a warning sign.
3. On a phone, press and hold a link to see the full address before opening it.

## How a pretexting call sounds

A pretext is a believable story that gives the attacker a reason to ask for something. A typical call:

"Hi, this is Dan from the IT service desk. We are migrating mailboxes tonight and yours is showing sync errors, so I need to re-register your MFA before six, or you will be locked out tomorrow morning. I am sending you a code now. Can you read it back to me so I can confirm it is your device?"

Notice what the caller does:

- **Claims authority** (IT) and uses details that make him sound internal: your name, the mail system, a colleague's name.
- **Creates urgency** (before six, locked out tomorrow).
- **Asks you to break a rule** you know: never share an MFA code. The code he "sends" is in fact the one your account generates when he tries to sign in as you.

The same pattern appears as a "new finance director" asking for an urgent transfer, a "customer" asking support to change the email address on an account, or a "supplier" asking to update their bank details.

What to do:

1. Do not give the code, the password or the change, however convincing the caller sounds. Real IT staff never ask for them.
2. End the call politely. If you think it might be genuine, call back using the number in the company directory or the supplier record, never a number the caller gives you.
3. Report the call to security with the time, the number and what was asked.

## MFA prompts you did not start

If your phone shows sign-in approvals you did not trigger, someone already has your password. Deny every prompt, do not approve one "to make it stop", and report it to security at once so your password can be reset and your sessions revoked. {{company}} uses number matching and, for administrators, security keys, which make this attack much harder, but your report is still what stops it.

## Payment and account changes

Any request to change bank details, pay an unexpected invoice, buy gift cards or change the email address on a customer account is verified through a second channel you already trust: a phone number on file, the supplier portal, or the customer's known administrator. Replying to the email is not verification, because the reply goes to the attacker.

## If you clicked

Mistakes happen to careful people, especially when busy. If you clicked a link, opened an attachment or entered your password and then had doubts:

1. Report it right away through the security channel or the report button, and say exactly what you did.
2. Do not wait to see whether anything happens. An error page after you typed your password usually means the attacker already has it.
3. If you opened an attachment, disconnect from the network (turn off Wi-Fi) but leave the device switched on, and follow the instructions you receive.

Reporting quickly is what turns a compromise into a non-event: security can reset your credentials and revoke your sessions before the attacker uses them. Nobody is disciplined for reporting a click.

## How to report

Use the report button in your mail client for suspicious emails: it sends the full message to security and removes it from your inbox. For calls, chat messages and texts, post in the security channel or email the security mailbox. Do not forward suspicious emails to colleagues to ask whether they look real.

## Checklist

- Unexpected request plus urgency plus a rule to break: stop and verify.
- Read web addresses from the right.
- Open important sites from bookmarks, let the password manager fill passwords.
- Never share MFA codes, never approve prompts you did not start.
- Verify payment and account changes through a channel you already trust.
- Report fast, including your own clicks.
`,
    quiz: {
      passPercent: 80,
      questions: [
        {
          key: 'q1',
          text: 'The company domain is examplecorp.com. Which of these addresses belongs to the company?',
          choices: [
            { key: 'a', text: 'login.examplecorp.com' },
            { key: 'b', text: 'examplecorp.com.session-check.net' },
            { key: 'c', text: 'examp1ecorp.com' },
            { key: 'd', text: 'examplecorp-sso.com' },
          ],
          correctChoiceKeys: ['a'],
          explanation:
            'Read addresses from the right: login.examplecorp.com is owned by examplecorp.com. The others belong to session-check.net, to a lookalike using the digit 1, and to a domain that only adds a hyphenated word.',
        },
        {
          key: 'q2',
          text: 'A caller from "the IT service desk" knows your name and asks you to read back the code just sent to your phone so your mailbox can be migrated. What do you do?',
          choices: [
            { key: 'a', text: 'Read the code, since the caller knows internal details.' },
            {
              key: 'b',
              text: 'Refuse, end the call, and report it; if unsure, call the service desk back on the number in the company directory.',
            },
            { key: 'c', text: 'Ask the caller to send the request by email first.' },
            { key: 'd', text: 'Read the code and change your password afterwards.' },
          ],
          correctChoiceKeys: ['b'],
          explanation:
            'MFA codes are never shared with anyone. Internal details are easy to find, and an email from the attacker proves nothing. Calling back on a number you already trust is the way to verify.',
        },
        {
          key: 'q3',
          text: 'Late in the evening your phone shows several sign-in approval prompts you did not start. Which actions are correct? (Choose all that apply.)',
          choices: [
            { key: 'a', text: 'Approve one so that the prompts stop.' },
            { key: 'b', text: 'Deny every prompt.' },
            { key: 'c', text: 'Report it to security straight away.' },
            { key: 'd', text: 'Ignore the prompts and mention them at the next team meeting.' },
          ],
          correctChoiceKeys: ['b', 'c'],
          explanation:
            'Unexpected prompts mean someone has your password. Deny them and report at once so the password can be reset and sessions revoked; approving even one lets the attacker in.',
        },
        {
          key: 'q4',
          text: 'A supplier emails to say their bank details have changed and asks that the next invoice be paid to the new account. What is the right way to handle it?',
          choices: [
            { key: 'a', text: 'Update the details, since the email comes from the usual address.' },
            { key: 'b', text: 'Reply to the email asking the supplier to confirm.' },
            {
              key: 'c',
              text: 'Verify by calling the supplier on a number already on file, not one in the email.',
            },
            { key: 'd', text: 'Forward the email to a colleague to ask whether it looks real.' },
          ],
          correctChoiceKeys: ['c'],
          explanation:
            'A compromised or spoofed mailbox can look exactly like the usual sender, and a reply goes to the attacker. Verify through a channel you already trust.',
        },
        {
          key: 'q5',
          text: 'You entered your password on a page from an email link and then saw an error message. What should you do?',
          choices: [
            { key: 'a', text: 'Nothing: the error means the sign-in failed.' },
            {
              key: 'b',
              text: 'Report it immediately so security can reset your credentials and revoke sessions.',
            },
            { key: 'c', text: 'Wait a day to see whether anything unusual happens.' },
            { key: 'd', text: 'Delete the email so nobody else clicks it.' },
          ],
          correctChoiceKeys: ['b'],
          explanation:
            'An error after entering a password usually means the fake page captured it. Reporting at once lets security act before the attacker does; deleting the email also destroys evidence.',
        },
        {
          key: 'q6',
          text: 'Which of these are warning signs of a pretext? (Choose all that apply.)',
          choices: [
            { key: 'a', text: 'The request is urgent and comes from someone claiming authority.' },
            { key: 'b', text: 'You are asked to skip the normal process "just this once".' },
            {
              key: 'c',
              text: 'The caller asks you to confirm information they should already have.',
            },
            {
              key: 'd',
              text: 'An update arrives in the ticket you opened yourself, through the normal ticket system.',
            },
          ],
          correctChoiceKeys: ['a', 'b', 'c'],
          explanation:
            'Urgency with authority, pressure to bypass process and fishing for information are the classic signs. An update in a ticket you opened, through the usual system, is the normal process working.',
        },
      ],
    },
  },
  {
    key: 'handling_customer_data',
    title: 'Handling customer data',
    summary:
      'What counts as Customer Data, where it may and may not live, how support access works, and how to handle everyday situations such as debugging, screenshots, AI tools and requests from individuals.',
    estimatedMinutes: 15,
    body: `# Handling customer data

Customers give {{company}} their data because we have promised, in contracts and in our security commitments, to protect it, to use it only to run the Service for them, and to delete it when they leave. Every person at {{company}} keeps or breaks those promises in small daily decisions. This module explains the rules and walks through the situations where they matter most.

## What counts as Customer Data

Customer Data is anything a customer submits to the Service or that the Service produces from it. It is broader than most people expect:

- the records, files and datasets a customer uploads or connects;
- the names, email addresses and activity of the customer's own users;
- results the Service computes from the customer's data: reports, dashboards, exports, previews;
- credentials customers give the Service to reach their own systems;
- screenshots, logs or error messages that show any of the above.

Much of it is also **Personal Data**, information about identifiable people, which data protection law protects further. You will rarely know for sure what a customer's dataset contains, so treat every piece of Customer Data as if it held personal and sensitive information.

At {{company}}, Customer Data is classified **Restricted**, the highest level. The Data Retention and Handling Policy has the full rules; the essentials follow.

## Where Customer Data may live

Customer Data lives only in the approved systems listed in our records of processing: the production Service itself and the tools approved for it, such as the support ticket system for files customers send to support. These systems encrypt data, control who can see it, keep logs and delete data on schedule.

It must **never** go into:

- email or chat, including direct messages to colleagues;
- your laptop's downloads folder, desktop or personal cloud storage;
- development or staging environments;
- spreadsheets or documents outside the approved systems;
- AI assistants or other tools not approved for Customer Data;
- paper.

Why so strict? Every copy outside the approved systems escapes the protections customers were promised. It is not encrypted the same way, it is not in the access reviews, it is not covered by the deletion jobs, and if it leaks we may have to notify the customer of a breach.

## Support access: how to look at a customer's data properly

Sometimes you need to see a customer's data to help them. At {{company}} nobody has standing access to it. Instead:

1. Make sure there is a ticket that explains why access is needed.
2. Request a just-in-time support grant linked to that ticket.
3. A designated approver, or the customer where the product supports it, approves the grant.
4. The grant expires automatically, at the latest 24 hours later.
5. Everything you do under the grant is logged, the logs are reviewed every quarter, and the customer can ask to see them.

Look only at what the ticket needs. Curiosity about a well-known customer's data, or a friend's account, is a serious breach even with a valid grant.

## Everyday situations

**A customer emails a spreadsheet export to your work address "to help you debug".** Move the file into the customer's support ticket, where it is protected and deleted 90 days after the ticket closes. Then delete the email, including from your deleted-items folder, and next time ask the customer to upload files through the ticket. Do not forward it to an engineer in chat.

**You want to reproduce a production bug with real data.** Reproduce it with synthetic or masked data first. If that truly is not possible, the Security Lead can approve a protected copy outside production, recorded with an expiry of at most 30 days. Never copy a customer's table into staging on your own, and never ask a colleague who has access to "just pull it for you".

**You are writing a ticket, a pull request or an incident note.** Refer to records by their identifiers, not their contents. Write "record 48213 in workspace 917 fails validation", not the person's name and address.

**You need a screenshot for documentation or a bug report.** Take it from a demo or test account. If you must capture a customer's screen for their own ticket, crop or blur everything the ticket does not need, and keep it in the ticket.

**You would like an AI assistant to summarize a long support conversation.** Customer Data may only go into tools approved for it. A tool that processes Customer Data is a subprocessor: it must be assessed, bound by a data processing agreement and announced to customers at least 30 days before it receives their data. Pasting a conversation into an unapproved assistant skips all of that. Use the approved tools, or remove the customer's data before you paste.

**Someone calls saying they are the customer's administrator and asks you to export all their data.** Verify the request through the customer's known contacts or the product's own export feature; never send data to an address given in the request. Attackers pose as customers precisely to get exports.

**An individual asks what data we hold about them, or asks us to delete it.** We process that data on our customer's behalf, so the customer decides. Forward the request to the customer within 5 business days, through the account's known contact, and do not answer it yourself unless the customer instructs us to.

**A customer has left.** Their data is deleted from production within 30 days after the contract ends, and backups expire within 35 days after that. If you find a stray copy anywhere, such as an old export in a shared folder or a file on your laptop, delete it and tell security so they can check for other copies. Keeping data "in case they come back" breaks our promise to delete it.

## When something goes wrong

You may send a file to the wrong person, share a document with the wrong group, or discover Customer Data somewhere it should not be. What matters is what you do next:

1. Report it to security immediately, and at the latest within one hour, through the security channel or mailbox.
2. Do not try to fix it quietly. Even if an email recall seems to work, report it: the recipient may already have opened the message, and our notification deadlines to customers may be running.
3. Do not contact the recipient or the customer yourself unless security asks you to; they will coordinate the response.

People who report their own mistakes quickly are never punished for it. Hiding a mistake is what turns it into a serious problem.

## Summary

- Treat all Customer Data as Restricted, whatever it appears to contain.
- Keep it only in approved systems; never in email, chat, laptops, non-production or unapproved tools.
- Access it only through a ticket-linked, approved, expiring support grant, and only for what the ticket needs.
- Use identifiers instead of contents in tickets and notes, and test accounts for screenshots.
- Verify who is asking before sending data anywhere.
- Report mistakes within the hour.
`,
    quiz: {
      passPercent: 80,
      questions: [
        {
          key: 'q1',
          text: 'Which of these are Customer Data? (Choose all that apply.)',
          choices: [
            { key: 'a', text: 'Rows of a dataset a customer connected to the Service' },
            { key: 'b', text: "The names and email addresses of the customer's users" },
            { key: 'c', text: "A screenshot of a customer's dashboard" },
            { key: 'd', text: "The company's public pricing page" },
          ],
          correctChoiceKeys: ['a', 'b', 'c'],
          explanation:
            'Customer Data includes what customers submit, their users’ details and anything the Service produces from them, including screenshots. Public company pages are not Customer Data.',
        },
        {
          key: 'q2',
          text: 'A customer emails you a spreadsheet export to help debug an issue. What should you do?',
          choices: [
            { key: 'a', text: 'Download it to your laptop so you can analyze it quickly.' },
            { key: 'b', text: 'Forward it to an engineer in chat.' },
            {
              key: 'c',
              text: 'Move it into the customer’s support ticket and delete the email, including from deleted items.',
            },
            { key: 'd', text: 'Keep it in your mailbox until the issue is fixed.' },
          ],
          correctChoiceKeys: ['c'],
          explanation:
            'Customer files belong in the support ticket system, which protects them and deletes them 90 days after the ticket closes. Email, chat and laptops are not approved places for Customer Data.',
        },
        {
          key: 'q3',
          text: "You need to look at a customer's data to solve their ticket. How do you get access?",
          choices: [
            { key: 'a', text: 'Copy their data to staging and investigate there.' },
            {
              key: 'b',
              text: 'Request a just-in-time support grant linked to the ticket, which is approved and expires automatically.',
            },
            { key: 'c', text: 'Ask a colleague who has access to pull the data for you.' },
            { key: 'd', text: 'Ask the customer for their password.' },
          ],
          correctChoiceKeys: ['b'],
          explanation:
            'Support access is granted just in time, tied to a ticket, approved, logged and expires within 24 hours. The other options bypass approval and logging, and never ask for customer passwords.',
        },
        {
          key: 'q4',
          text: 'Which statement about AI assistants and Customer Data is correct?',
          choices: [
            {
              key: 'a',
              text: 'Any AI assistant may be used if you are signed in with a work email.',
            },
            {
              key: 'b',
              text: 'A tool that processes Customer Data is a subprocessor; it must be approved, under contract and announced to customers in advance.',
            },
            { key: 'c', text: 'Customer Data may be pasted if the chat is deleted afterwards.' },
            { key: 'd', text: 'AI assistants never keep what you paste, so there is no risk.' },
          ],
          correctChoiceKeys: ['b'],
          explanation:
            'Sending Customer Data to a new tool makes it a subprocessor, which needs due diligence, a data processing agreement and at least 30 days’ notice to customers. Deleting the chat does not undo the transfer.',
        },
        {
          key: 'q5',
          text: 'You emailed a file containing customer records to the wrong external address. The email recall says it succeeded. What now?',
          choices: [
            { key: 'a', text: 'Nothing more: the recall worked.' },
            {
              key: 'b',
              text: 'Report it to security within the hour, and mention that the recall appeared to work.',
            },
            { key: 'c', text: 'Email the recipient asking them to delete it, and move on.' },
            { key: 'd', text: 'Wait until you are sure the recipient opened it before reporting.' },
          ],
          correctChoiceKeys: ['b'],
          explanation:
            'Recalls often fail silently and the recipient may have read the message. Security needs to assess it quickly because customer notification deadlines may apply; they will coordinate any contact with the recipient.',
        },
        {
          key: 'q6',
          text: 'An individual emails asking what personal data the Service holds about them. What do you do?',
          choices: [
            { key: 'a', text: 'Look them up and send them their data.' },
            {
              key: 'b',
              text: "Forward the request to the customer through the account's known contact within 5 business days.",
            },
            { key: 'c', text: 'Delete their data straight away to be safe.' },
            { key: 'd', text: 'Ignore it, since they are not our customer.' },
          ],
          correctChoiceKeys: ['b'],
          explanation:
            'We process this data on the customer’s behalf, so the customer decides how to answer. We forward the request promptly and help the customer, rather than acting on our own.',
        },
      ],
    },
  },
  {
    key: 'reporting_security_incident',
    title: 'Reporting a security incident',
    summary:
      'What counts as a security incident, how and how fast to report one, what to do in the first 15 minutes, what not to do, and what happens after you report.',
    estimatedMinutes: 12,
    body: `# Reporting a security incident

Security teams rarely discover incidents on their own. Far more often, someone notices something odd: a strange email, a laptop missing from a bag, a file sent to the wrong person, a colleague's account posting messages they did not write. How quickly that person speaks up decides how much damage is done. This module explains what to report, how, and exactly what to do in the first minutes.

## What counts as a security incident

Report anything that might put {{company}}'s systems or data, and especially Customer Data, at risk. You do not need to be sure. Typical examples:

- you clicked a link or opened an attachment and then had doubts, or entered your password on a page that turned out to be fake;
- you received sign-in approval prompts or password-reset emails you did not request;
- a laptop, phone or security key is lost or stolen;
- you sent Customer Data or confidential information to the wrong person, or shared a document too widely;
- you see a password, API key or other secret somewhere it should not be: in code, a ticket, a chat channel or a log;
- a device behaves strangely: pop-ups, new programs, files renamed or encrypted, the security agent disabled;
- a colleague's account sends messages that do not sound like them;
- a customer or supplier tells you they think they have been breached, or that they received something odd from us;
- someone you do not recognize is in the office without a badge or escort.

A suspicious email that nobody clicked is still worth reporting with the report button: it warns security that a campaign is under way, and others may have received it too.

## Why speed matters

**Attackers move quickly.** A stolen password is often used within minutes. If you report right away, security can reset it and revoke sessions before the attacker gets far.

**Deadlines start running.** When Customer Data is affected, {{company}} must notify the customers concerned within the deadlines in their contracts, usually a few days and by default no more than 72 hours after the incident is confirmed. Data protection law sets similar deadlines for notifying regulators, often 72 hours. Every hour lost before security hears about an incident is an hour taken away from the investigation that those notices depend on.

That is why the rule at {{company}} is: **report immediately, and at the latest within one hour of noticing.** A false alarm costs security a few minutes. A late report can cost customers' trust.

## How to report

Use whichever channel is fastest for you:

- **Suspicious email**: the report button in your mail client.
- **Anything else**: post in the security channel or email the security mailbox.
- **Urgent, out of hours, or you cannot reach anyone**: page the on-call engineer through the on-call number on the intranet. High-severity pages are answered within 15 minutes at any hour.

Say what you know, in plain words:

1. what happened and what you saw;
2. when it happened, and when you noticed;
3. which device, account, system or customer is involved;
4. what you have already done, for example "I entered my password, then closed the tab".

Do not wait until you have all the facts. "I think I just typed my password into a fake sign-in page, laptop is still on, details to follow" is a perfect first report.

## Your first 15 minutes

**Minutes 0 to 2: stop.** Do not click anything else, do not reply to the message, do not enter anything more. If you suspect malware, turn off Wi-Fi or unplug the network cable, but **leave the device switched on**: shutting down can destroy evidence held in memory.

**Minutes 2 to 5: report.** Use the channels above. If it is a lost device, say when and where you last had it, so it can be locked and wiped remotely.

**Minutes 5 to 15: preserve and write down.** Keep the suspicious email, message or file where it is; the report button keeps a copy for security. Note the times, the sender, the phone number or web address, and what you did, while your memory is fresh. Stay reachable: the responder will probably have questions.

## What not to do

- **Do not investigate on your own.** Opening the attachment again, visiting the site to "check", or running tools can alert the attacker and damage evidence.
- **Do not delete** the email, files or logs before security says so.
- **Do not wipe or reinstall** a device yourself.
- **Do not contact the attacker**, and do not reply to ransom or extortion messages.
- **Do not tell customers, suppliers, the press or social media.** All external communication goes through the incident's Communications Lead, and statements only through the CEO or Legal.
- **Do not forward** suspicious emails to colleagues, which spreads the attack.

## Three short scenarios

**The airport.** Priya realizes at the gate that her laptop is not in her bag. She messages the security channel right away: "Laptop lost, probably at security screening 20 minutes ago, it was locked, full-disk encryption on." IT locks the device and revokes its sessions within minutes. Because the disk is encrypted and she reported at once, there is no data incident.

**The key in the chat.** Marco sees a colleague paste a production database password into a team chat to help with a bug. He does not lecture anyone in the channel; he reports it to security. The password is rotated within the hour, the message is removed, and the team gets a reminder about the secret store.

**The shared folder.** Ana notices that a folder of customer exports is shared with "anyone with the link". She reports it rather than quietly changing the setting, because security needs to check the access logs to know whether anyone outside opened it, and whether customers must be told.

## What happens after you report

The on-call engineer or the Security Lead triages your report, gives it a severity and opens an incident record. For serious incidents an Incident Commander takes charge, and responders contain the problem: resetting accounts, isolating systems, rotating secrets. You may be asked for details or to hand over a device. If Customer Data was affected, Legal and the Communications Lead prepare the customer notices.

Afterwards, serious incidents get a blameless review to find out what made them possible and fix it. The question is "what let this happen?", never "whose fault was it?".

## No blame for reporting

Nobody at {{company}} is disciplined for reporting in good faith, including reporting their own mistake. People who report quickly are doing exactly what we ask. The only thing that makes a mistake worse is hiding it.
`,
    quiz: {
      passPercent: 80,
      questions: [
        {
          key: 'q1',
          text: 'Which of these should be reported to security? (Choose all that apply.)',
          choices: [
            { key: 'a', text: 'Your company laptop was stolen from your car.' },
            { key: 'b', text: 'You emailed a customer export to the wrong person.' },
            { key: 'c', text: 'A phishing email arrived and you did not click it.' },
            { key: 'd', text: 'A colleague invites the team to a birthday lunch.' },
          ],
          correctChoiceKeys: ['a', 'b', 'c'],
          explanation:
            'Lost devices, misdirected data and phishing attempts are all reportable; an unclicked phishing email still warns security of a campaign. A lunch invitation is not a security matter.',
        },
        {
          key: 'q2',
          text: 'Under the company rule, what is the latest you may report a suspected incident after noticing it?',
          choices: [
            { key: 'a', text: 'Within one hour' },
            { key: 'b', text: 'By the end of the working day' },
            { key: 'c', text: 'Within the next business day' },
            { key: 'd', text: 'Only once you are sure it is a real incident' },
          ],
          correctChoiceKeys: ['a'],
          explanation:
            'Report immediately and at the latest within one hour. You do not need to be sure: a false alarm costs little, while a late report wastes time attackers and notification deadlines do not give back.',
        },
        {
          key: 'q3',
          text: 'Your laptop starts behaving strangely right after you opened an attachment. Which steps are correct? (Choose all that apply.)',
          choices: [
            { key: 'a', text: 'Turn off Wi-Fi or unplug the network cable.' },
            { key: 'b', text: 'Leave the laptop switched on.' },
            { key: 'c', text: 'Report it to security straight away.' },
            { key: 'd', text: 'Wipe and reinstall the laptop to remove the malware.' },
          ],
          correctChoiceKeys: ['a', 'b', 'c'],
          explanation:
            'Disconnecting limits the damage, keeping the device on preserves evidence in memory, and reporting brings in responders. Wiping it yourself destroys the evidence needed to understand what happened.',
        },
        {
          key: 'q4',
          text: 'Which of these should you avoid after discovering a possible incident? (Choose all that apply.)',
          choices: [
            { key: 'a', text: 'Deleting the suspicious email before reporting it' },
            { key: 'b', text: 'Posting about it on social media' },
            { key: 'c', text: 'Telling the affected customer yourself' },
            { key: 'd', text: 'Writing down the times and what you did' },
          ],
          correctChoiceKeys: ['a', 'b', 'c'],
          explanation:
            'Deleting evidence and communicating externally are things to avoid; external communication goes through the Communications Lead. Writing down times and actions helps responders and is encouraged.',
        },
        {
          key: 'q5',
          text: 'Why does reporting quickly matter when Customer Data may be involved?',
          choices: [
            {
              key: 'a',
              text: 'It does not; customers are only told once the investigation is over.',
            },
            {
              key: 'b',
              text: 'Customers and regulators must be notified within deadlines, often 72 hours, and the investigation needs that time.',
            },
            { key: 'c', text: 'Only because security wants to finish tickets faster.' },
            { key: 'd', text: 'Because a late report is automatically treated as misconduct.' },
          ],
          correctChoiceKeys: ['b'],
          explanation:
            'Contracts and data protection law set notification deadlines, often 72 hours from confirmation or awareness. Every hour of delay before reporting shortens the time to investigate and notify correctly.',
        },
      ],
    },
  },
];
