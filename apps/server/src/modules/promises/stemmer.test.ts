import { describe, expect, it } from 'vitest';
import { stem } from './stemmer.ts';

describe('stem', () => {
  it.each([
    ['encryption encrypted encrypts encrypt', 'encrypt'],
    ['logging logs logged log', 'log'],
    ['vetted vetting vet', 'vet'],
    ['controlled controls control', 'control'],
    ['restoring restore restoration restored', 'restor'],
    ['management managed manage manages', 'manag'],
    ['minimisation minimization minimise minimize minimised', 'minim'],
    ['policy policies', 'polici'],
    ['comply compliance complies', 'compli'],
    ['availability available', 'avail'],
    ['security secure securely', 'secur'],
    ['notification notify notified notifies', 'notifi'],
    ['authentication authenticate authenticated', 'authentic'],
    ['administrator administrative administration', 'administr'],
    ['vulnerabilities vulnerability vulnerable', 'vulner'],
    ['testing tests tested', 'test'],
    ['annually annual', 'annu'],
    ['periodically periodic periodical', 'periodic'],
    ['supplier suppliers supply', 'suppli'],
    ['segmentation segmented segment', 'segment'],
  ])('gives one stem to %s', (words, expected) => {
    expect(words.split(' ').map(stem)).toEqual(words.split(' ').map(() => expected));
  });

  it('keeps short words, words with digits and words it cannot shorten', () => {
    expect(['mfa', 'tls', '2fa', 'aes256', 'access', 'status', 'analysis'].map(stem)).toEqual([
      'mfa',
      'tls',
      '2fa',
      'aes256',
      'access',
      'status',
      'analysis',
    ]);
  });
});
