/** English words too common to tell one control from another. */
export const englishStopWords: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before ' +
    'being below between both but by can could did do does doing done down during each eg either ' +
    'etc few for from further had has have having he her here hers herself him himself his how i ' +
    'ie if in into is it its itself just may me might more most must my myself no nor not of off ' +
    'on once only or other others our ours ourselves out over own per same shall she should so ' +
    'some such than that the their theirs them themselves then there these they this those ' +
    'through thus to too under until up upon us very via was we were what when where whether ' +
    'which while who whom whose why will with within without would yet you your yours ' +
    // Annex filler: qualifiers that appear in every clause and carry no topic.
    'applicable appropriate available feasible necessary reasonable relevant supported ' +
    'include includes including based use used uses using'
  ).split(' '),
);

const britishVerbEnding = /is(e|ed|es|ing|ation|ations|er|ers)$/;
const vowel = /[aeiouy]/;

/**
 * Derivational endings, longest first, with what replaces them and how long the remaining stem
 * must be; one is removed per word, which is enough to make a noun, its verb and its adjective
 * meet (encryption/encrypt, availability/available, management/manage).
 */
const derivations: readonly (readonly [suffix: string, replacement: string, minStem: number])[] = [
  ['ification', 'ify', 3],
  ['ization', '', 3],
  ['ational', '', 3],
  ['ication', 'ic', 3],
  ['iveness', '', 3],
  ['ousness', '', 3],
  ['fulness', '', 3],
  ['ibility', '', 3],
  ['ability', '', 3],
  ['ation', '', 3],
  ['ition', '', 3],
  ['ality', '', 3],
  ['ivity', '', 3],
  ['ative', '', 3],
  ['ator', '', 3],
  ['ness', '', 3],
  ['ment', '', 4],
  ['ance', '', 4],
  ['ence', '', 4],
  ['able', '', 3],
  ['ible', '', 3],
  ['ity', '', 3],
  ['ize', '', 3],
  ['ate', '', 4],
  ['ive', '', 4],
  ['ous', '', 3],
  ['ful', '', 3],
  ['tion', 't', 3],
  ['sion', 's', 3],
  ['er', '', 4],
  ['al', '', 4],
];

/**
 * Reduces an English word to a crude stem (a light, Porter-like suffix stripper) so that
 * inflected and derived forms of one word compare equal; stems are keys, not words.
 */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
  // British -ise spellings become -ize so both spellings share a stem.
  if (w.length >= 7) {
    const match = britishVerbEnding.exec(w);
    if (match && match.index >= 4) w = `${w.slice(0, match.index)}iz${match[1] ?? ''}`;
  }
  w = stripPlural(w);
  w = stripVerbEnding(w);
  // Not -ply: apply, comply and supply are verbs, not adverbs.
  if (w.endsWith('ly') && !w.endsWith('ply') && w.length - 2 >= 4) w = w.slice(0, -2);
  w = stripDerivation(w);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('y') && !vowel.test(w.charAt(w.length - 2))) {
    w = `${w.slice(0, -1)}i`;
  }
  // A final doubled consonant goes: control/controlled, scan/scanner, label/labelled end alike.
  if (w.length > 3 && /([^aeious])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

function stripPlural(w: string): string {
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('s') && !/(ss|us|sis)$/.test(w) && w.length > 3) return w.slice(0, -1);
  return w;
}

function stripVerbEnding(w: string): string {
  if (w.endsWith('eed')) return w.length > 4 ? w.slice(0, -1) : w;
  let base: string;
  if (w.endsWith('ing')) base = w.slice(0, -3);
  else if (w.endsWith('ed')) base = w.slice(0, -2);
  else return w;
  if (base.length < 3 || !vowel.test(base)) return w;
  // Doubled consonants come from the ending (logged, scanned, vetted); an e was dropped by it.
  if (/([^aeiouls])\1$/.test(base)) return base.slice(0, -1);
  if (/(at|bl|iz)$/.test(base)) return `${base}e`;
  return base;
}

function stripDerivation(w: string): string {
  for (const [suffix, replacement, minStem] of derivations) {
    if (w.endsWith(suffix)) {
      const base = w.slice(0, -suffix.length);
      return base.length >= minStem && vowel.test(base) ? base + replacement : w;
    }
  }
  return w;
}
