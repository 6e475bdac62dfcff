import { englishStopWords, stem } from './stemmer.ts';

/** A text to rank: a control's title, description, requirement texts and guidance, as one. */
export interface SimilarityDocument {
  id: string;
  text: string;
}

/** A document that shares words or security concepts with the query, best first. */
export interface RankedMatch {
  id: string;
  /** 0..1, higher is closer: 0.78 when an average-length document holds each query term once. */
  score: number;
}

/** Documents prepared for ranking; build once, query many times. */
export interface SimilarityIndex {
  rank(query: string, limit?: number): RankedMatch[];
}

/**
 * Security vocabulary: each concept is written in many ways (abbreviations, synonyms,
 * spellings); any of its phrases adds the concept as a term of its own, so "2FA for admins" and
 * "multi-factor authentication for administrators" meet. Phrases are matched on stems, with stop
 * words, so plurals and inflections need no listing.
 */
const concepts: Readonly<Record<string, readonly string[]>> = {
  mfa: [
    'mfa',
    '2fa',
    'two factor',
    'multi factor',
    'multifactor',
    'second factor',
    'two step verification',
    '2 step verification',
    'totp',
    'one time password',
    'otp',
    'security key',
    'hardware key',
    'passkey',
    'fido2',
    'webauthn',
  ],
  authn: ['authentication', 'auth', 'authn', 'login', 'sign in', 'signin', 'logon'],
  sso: ['sso', 'single sign on', 'saml', 'oidc', 'openid connect', 'federated login'],
  rbac: ['rbac', 'role based', 'role based access', 'roles and permissions', 'access role'],
  leastPrivilege: ['least privilege', 'need to know', 'minimum necessary access'],
  privileged: [
    'admin',
    'administrator',
    'administrative',
    'privileged',
    'privilege',
    'root',
    'superuser',
    'elevated access',
  ],
  accessReview: [
    'access review',
    'user access review',
    'access recertification',
    'recertification',
    'entitlement review',
    'review of access',
    'review access',
    'access certification',
  ],
  jml: [
    'jml',
    'joiner',
    'mover',
    'leaver',
    'onboarding',
    'offboarding',
    'provisioning',
    'deprovisioning',
    'deprovision',
    'termination',
    'revoke access',
    'access revocation',
  ],
  credentials: ['password', 'passphrase', 'credential', 'secret', 'api key', 'token'],
  transit: [
    'tls',
    'ssl',
    'https',
    'hsts',
    'in transit',
    'transport layer security',
    'transport encryption',
    'encrypted connection',
  ],
  atRest: [
    'at rest',
    'aes',
    'disk encryption',
    'full disk encryption',
    'encrypted storage',
    'encrypted volume',
    'encrypted database',
  ],
  keyManagement: [
    'kms',
    'hsm',
    'key management',
    'key rotation',
    'rotate key',
    'encryption key',
    'cryptographic key',
    'key vault',
    'key management service',
    'hardware security module',
  ],
  secretsManagement: ['secrets manager', 'secret store', 'secret management', 'vault'],
  ddos: ['ddos', 'denial of service', 'dos attack', 'traffic filtering', 'rate limiting'],
  firewall: [
    'firewall',
    'security group',
    'waf',
    'web application firewall',
    'network acl',
    'ingress',
    'egress',
    'inbound',
    'outbound',
  ],
  segmentation: [
    'segmentation',
    'segmented',
    'segregation',
    'vlan',
    'vpc',
    'subnet',
    'dmz',
    'network isolation',
    'isolated network',
  ],
  backup: ['backup', 'back up', 'backed up', 'snapshot', 'restore', 'restoration', 'replica'],
  disasterRecovery: [
    'dr',
    'disaster recovery',
    'failover',
    'rto',
    'rpo',
    'recovery time objective',
    'recovery point objective',
  ],
  continuity: ['bcp', 'business continuity', 'continuity plan', 'bcdr'],
  availability: ['high availability', 'redundancy', 'redundant', 'uptime', 'multi az'],
  sdlc: [
    'sdlc',
    'ssdlc',
    'secure development',
    'software development lifecycle',
    'development lifecycle',
    'secure coding',
    'secure software development',
  ],
  codeReview: ['code review', 'peer review', 'pull request', 'merge request', 'branch protection'],
  change: [
    'change management',
    'change control',
    'change request',
    'change advisory',
    'cab',
    'production deployment',
    'release management',
  ],
  environments: [
    'staging',
    'development environment',
    'test environment',
    'production environment',
  ],
  pentest: [
    'pentest',
    'pen test',
    'penetration test',
    'penetration testing',
    'ethical hacking',
    'red team',
    'red teaming',
  ],
  vulnerability: ['vuln', 'vulnerability', 'cve', 'cvss', 'weakness', 'security flaw'],
  scanning: ['scanning', 'scanner', 'sast', 'dast', 'sca', 'dependency scanning', 'dependabot'],
  patching: ['patch', 'patching', 'security update', 'hotfix'],
  sla: [
    'sla',
    'service level',
    'remediation timeline',
    'remediation deadline',
    'time to remediate',
  ],
  severity: ['severity', 'risk rating', 'cvss'],
  dpa: ['dpa', 'data processing agreement', 'data processing addendum', 'gdpr article 28'],
  vendor: [
    'subprocessor',
    'sub processor',
    'vendor',
    'supplier',
    'third party',
    'service provider',
    'outsourcing',
    'outsourced',
  ],
  diligence: ['due diligence', 'diligence', 'vet', 'vetting', 'vendor assessment', 'vendor review'],
  personalData: [
    'pii',
    'personal data',
    'personal information',
    'personally identifiable',
    'data subject',
    'phi',
  ],
  minimisation: [
    'data minimization',
    'minimization',
    'minimize',
    'purpose limitation',
    'collect only',
    'only necessary data',
  ],
  retention: ['retention', 'retain', 'deletion', 'delete', 'disposal', 'purge', 'erasure'],
  logging: ['log', 'logging', 'audit log', 'audit trail', 'siem', 'event log'],
  monitoring: ['monitoring', 'alerting', 'alert', 'intrusion detection', 'anomaly detection'],
  incident: [
    'incident',
    'incident response',
    'irp',
    'csirt',
    'security breach',
    'data breach',
    'breach',
  ],
  notification: ['notification', 'notify', 'notice', 'inform customer'],
  training: ['training', 'awareness', 'security awareness', 'phishing simulation', 'education'],
  screening: [
    'background check',
    'background screening',
    'background verification',
    'screening',
    'pre employment',
    'criminal record',
    'reference check',
  ],
  confidentiality: ['nda', 'non disclosure', 'confidentiality agreement', 'confidentiality'],
  physical: ['physical security', 'data center', 'data centre', 'facility', 'badge', 'cctv'],
  cloud: ['aws', 'azure', 'gcp', 'google cloud', 'cloud provider', 'iaas', 'paas'],
  endpoint: [
    'mdm',
    'device management',
    'laptop',
    'workstation',
    'endpoint',
    'antivirus',
    'anti virus',
    'malware',
    'edr',
  ],
  risk: ['risk assessment', 'risk management', 'risk register', 'risk analysis'],
  policy: ['policy', 'information security policy', 'isms', 'governance'],
};

/** Concept terms (prefixed so no word can collide with them) count a little more than a word. */
const conceptWeight = 1.2;
/** Adjacent words add a phrase match with a small weight: "access review" beats "access" + "review". */
const bigramWeight = 0.4;
/** Documents, best first by words and concepts, that are re-scored with their phrase matches. */
const bigramCandidates = 50;
const k1 = 1.2;
const b = 0.75;
/** How fast a raw score saturates towards 1 (see `rank`). */
const saturation = 1.5;

/** Concept phrases as stems, each with the concept term it adds. */
const conceptPhrases: readonly { stems: readonly string[]; term: string }[] = Object.entries(
  concepts,
).flatMap(([name, phrases]) =>
  phrases.map((phrase) => ({ stems: splitWords(phrase).map(stem), term: `#${name}` })),
);

function splitWords(text: string): string[] {
  // Accents go so "résumé" and "resume" meet; plain ASCII, the usual case, skips the work.
  const folded = /[\u0080-\uffff]/.test(text)
    ? text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    : text;
  return folded.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

function isContentWord(word: string): boolean {
  if (word.length < 2 || englishStopWords.has(word)) return false;
  // Short numbers (versions, counts of days) say little; long ones (ISO 27001, AES 256) do.
  return !/^\d{1,2}$/.test(word);
}

/** The BM25 share of a term occurring `count` times in a document of `length` words. */
function termFactor(count: number, length: number, averageLength: number): number {
  return (count * (k1 + 1)) / (count + k1 * (1 - b + (b * length) / averageLength));
}

/** Code of a content word a query holds but no document does. */
const unknownContent = -2;

/** What a text is made of, as term ids of one index. */
interface Analysis {
  /** Word stems and concepts, once per occurrence. */
  terms: number[];
  /** Stems of the content words in order, for phrase matches; -1 for a word never seen. */
  sequence: number[];
  /** Content stems the index has never seen (only for queries). */
  unknown: Set<string>;
}

/**
 * Term ids of one index. Every distinct word is stemmed once and remembered with its stem id
 * and whether it carries content, so reading a document costs one lookup per word.
 */
class Vocabulary {
  private readonly stemIds = new Map<string, number>();
  /** Surface word to `stemId * 2 + (isContent ? 1 : 0)`. */
  private readonly wordCodes = new Map<string, number>();
  /** By stem id, the concept phrases starting with that stem. */
  private readonly phraseStarts: ({ stems: Int32Array; concept: number }[] | undefined)[] = [];
  private readonly isConcept: boolean[] = [];

  constructor() {
    for (const phrase of conceptPhrases) {
      const stems = Int32Array.from(phrase.stems, (s) => this.intern(s));
      const first = stems[0];
      if (first === undefined) continue;
      const list = this.phraseStarts[first] ?? [];
      list.push({ stems, concept: this.intern(phrase.term) });
      list.sort((x, y) => y.stems.length - x.stems.length);
      this.phraseStarts[first] = list;
    }
  }

  get size(): number {
    return this.isConcept.length;
  }

  isConceptTerm(id: number): boolean {
    return this.isConcept[id] ?? false;
  }

  /** Reads a text; with `learn`, words new to the index get ids, else they are reported unknown. */
  analyse(text: string, learn: boolean): Analysis {
    const words = splitWords(text);
    const codes = new Int32Array(words.length);
    const unknown = new Set<string>();
    for (let i = 0; i < words.length; i++) {
      const word = words[i] ?? '';
      let code = this.wordCodes.get(word);
      if (code === undefined) {
        const wordStem = stem(word);
        const known = this.stemIds.get(wordStem);
        if (known === undefined && !learn) {
          const isContent = isContentWord(word);
          if (isContent) unknown.add(wordStem);
          codes[i] = isContent ? unknownContent : -1;
          continue;
        }
        code = (known ?? this.intern(wordStem)) * 2 + (isContentWord(word) ? 1 : 0);
        if (learn) this.wordCodes.set(word, code);
      }
      codes[i] = code;
    }
    const terms: number[] = [];
    const sequence: number[] = [];
    let conceptEnds: Map<number, number> | null = null;
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] ?? -1;
      // An unknown word still separates its neighbours: they are no pair.
      if (code === unknownContent) sequence.push(-1);
      if (code < 0) continue;
      const id = code >> 1;
      const phrases = this.phraseStarts[id];
      if (phrases !== undefined) {
        conceptEnds ??= new Map();
        for (const phrase of phrases) {
          // Overlapping phrases of one concept ("key management service") count once.
          if ((conceptEnds.get(phrase.concept) ?? 0) > i) continue;
          if (matchesAt(codes, i, phrase.stems)) {
            terms.push(phrase.concept);
            conceptEnds.set(phrase.concept, i + phrase.stems.length);
          }
        }
      }
      if ((code & 1) === 1) {
        terms.push(id);
        sequence.push(id);
      }
    }
    return { terms, sequence, unknown };
  }

  private intern(term: string): number {
    let id = this.stemIds.get(term);
    if (id === undefined) {
      id = this.isConcept.length;
      this.stemIds.set(term, id);
      this.isConcept.push(term.startsWith('#'));
    }
    return id;
  }
}

function matchesAt(codes: Int32Array, at: number, stems: Int32Array): boolean {
  for (let j = 0; j < stems.length; j++) {
    if ((codes[at + j] ?? -1) >> 1 !== stems[j]) return false;
  }
  return true;
}

/**
 * Builds a BM25 index over the documents: stemmed words without stop words and security
 * concepts (abbreviations and synonyms); the best candidates of a query are then boosted by the
 * adjacent-word pairs they share with it.
 */
export function buildSimilarityIndex(documents: readonly SimilarityDocument[]): SimilarityIndex {
  const documentCount = documents.length;
  const ids = documents.map((document) => document.id);
  const vocabulary = new Vocabulary();
  const postingDocuments: number[][] = [];
  const postingCounts: number[][] = [];
  const sequences: Int32Array[] = [];
  const lengths = new Float64Array(documentCount);
  // Per-term scratch to count a document's terms without a map per document.
  const lastDocument: number[] = [];
  const countInDocument: number[] = [];
  documents.forEach((document, documentIndex) => {
    const { terms, sequence } = vocabulary.analyse(document.text, true);
    while (postingDocuments.length < vocabulary.size) {
      postingDocuments.push([]);
      postingCounts.push([]);
      lastDocument.push(-1);
      countInDocument.push(0);
    }
    const distinct: number[] = [];
    for (const term of terms) {
      if (lastDocument[term] === documentIndex) {
        countInDocument[term] = (countInDocument[term] ?? 0) + 1;
      } else {
        lastDocument[term] = documentIndex;
        countInDocument[term] = 1;
        distinct.push(term);
      }
    }
    for (const term of distinct) {
      postingDocuments[term]?.push(documentIndex);
      postingCounts[term]?.push(countInDocument[term] ?? 0);
    }
    sequences.push(Int32Array.from(sequence));
    lengths[documentIndex] = sequence.length;
  });
  const averageLength =
    documentCount > 0 ? Math.max(1, lengths.reduce((sum, n) => sum + n, 0) / documentCount) : 1;
  // Postings hold the BM25 term-frequency factor, so a query only multiplies and adds.
  const postingFactors = postingDocuments.map((docs, term) => {
    const counts = postingCounts[term] ?? [];
    const factors = new Float64Array(docs.length);
    for (let i = 0; i < docs.length; i++) {
      factors[i] = termFactor(counts[i] ?? 0, lengths[docs[i] ?? 0] ?? 0, averageLength);
    }
    return factors;
  });
  const idf = (term: number): number => {
    const documentFrequency = postingDocuments[term]?.length ?? 0;
    return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
  };
  const scores = new Float64Array(documentCount);

  return {
    rank(query: string, limit = 10): RankedMatch[] {
      if (limit <= 0 || documentCount === 0) return [];
      const { terms, sequence, unknown } = vocabulary.analyse(query, false);
      // The ideal is what a document of average length holding each query term once would
      // score; words the index has never seen count in it as the rarest words.
      let ideal = unknown.size * idf(-1);
      const touched: number[] = [];
      for (const term of new Set(terms)) {
        const weight = (vocabulary.isConceptTerm(term) ? conceptWeight : 1) * idf(term);
        ideal += weight;
        const docs = postingDocuments[term] ?? [];
        const factors = postingFactors[term] ?? new Float64Array(0);
        for (let i = 0; i < docs.length; i++) {
          const documentIndex = docs[i] ?? 0;
          if (scores[documentIndex] === 0) touched.push(documentIndex);
          scores[documentIndex] = (scores[documentIndex] ?? 0) + weight * (factors[i] ?? 0);
        }
      }
      // A pair is at least as rare as its rarer word, which stands in for its own frequency.
      const pairWeights = new Map<number, number>();
      for (let i = 1; i < sequence.length; i++) {
        const first = sequence[i - 1] ?? -1;
        const second = sequence[i] ?? -1;
        const key = first * 0x200000 + second;
        if (first === second || pairWeights.has(key)) continue;
        const weight = bigramWeight * Math.max(idf(first), idf(second));
        ideal += weight;
        if (first >= 0 && second >= 0) pairWeights.set(key, weight);
      }
      // Only the best candidates can end in the answer: pairs only ever add to their score.
      const candidates = topDocuments(touched, scores, Math.max(bigramCandidates, limit));
      if (pairWeights.size > 0) {
        for (const documentIndex of candidates) {
          scores[documentIndex] =
            (scores[documentIndex] ?? 0) +
            pairScore(sequences[documentIndex], pairWeights, averageLength);
        }
      }
      const matches = candidates.map((documentIndex) => {
        const raw = (scores[documentIndex] ?? 0) / ideal;
        // A smooth, strictly increasing map to 0..1 keeps the ranking and leaves room above
        // "covers every term once" for documents that cover them more than once.
        const score = Math.round((1 - Math.exp(-saturation * raw)) * 1e6) / 1e6;
        return { id: ids[documentIndex] ?? '', score };
      });
      for (const documentIndex of touched) scores[documentIndex] = 0;
      matches.sort((x, y) => y.score - x.score || compareIds(x.id, y.id));
      return matches.slice(0, limit);
    },
  };
}

/** The documents with the `count` highest scores, and any tied with the last of them. */
function topDocuments(touched: readonly number[], scores: Float64Array, count: number): number[] {
  if (touched.length <= count) return [...touched];
  const sorted = Float64Array.from(touched, (documentIndex) => scores[documentIndex] ?? 0).sort();
  const threshold = sorted[sorted.length - count] ?? 0;
  return touched.filter((documentIndex) => (scores[documentIndex] ?? 0) >= threshold);
}

function pairScore(
  sequence: Int32Array | undefined,
  pairWeights: ReadonlyMap<number, number>,
  averageLength: number,
): number {
  if (sequence === undefined) return 0;
  let counts: Map<number, number> | null = null;
  for (let i = 1; i < sequence.length; i++) {
    const key = (sequence[i - 1] ?? 0) * 0x200000 + (sequence[i] ?? 0);
    if (pairWeights.has(key)) {
      counts ??= new Map();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  let total = 0;
  for (const [key, count] of counts ?? []) {
    total += (pairWeights.get(key) ?? 0) * termFactor(count, sequence.length, averageLength);
  }
  return total;
}

function compareIds(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
