import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emptyPayloadHash, encodeRfc3986, formatAmzDate, signRequest } from './sigv4.ts';

// Published AWS examples: the SigV4 test suite (get-vanilla), the IAM ListUsers walk-through of
// the signing documentation, and the S3 header-based authentication examples.
const suiteCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const s3Credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const s3Now = new Date('2013-05-24T00:00:00Z');

describe('SigV4 signer', () => {
  it('reproduces the test suite get-vanilla example', () => {
    const signed = signRequest(
      {
        method: 'GET',
        url: new URL('https://example.amazonaws.com/'),
        payloadHash: emptyPayloadHash,
      },
      {
        region: 'us-east-1',
        service: 'service',
        credentials: suiteCredentials,
        now: new Date('2015-08-30T12:36:00Z'),
      },
    );
    expect(signed.canonicalRequest).toBe(
      [
        'GET',
        '/',
        '',
        'host:example.amazonaws.com',
        'x-amz-date:20150830T123600Z',
        '',
        'host;x-amz-date',
        emptyPayloadHash,
      ].join('\n'),
    );
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('reproduces the documented IAM ListUsers example', () => {
    const signed = signRequest(
      {
        method: 'GET',
        url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        payloadHash: emptyPayloadHash,
      },
      {
        region: 'us-east-1',
        service: 'iam',
        credentials: suiteCredentials,
        now: new Date('2015-08-30T12:36:00Z'),
      },
    );
    expect(createHash('sha256').update(signed.canonicalRequest).digest('hex')).toBe(
      'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59',
    );
    expect(signed.signature).toBe(
      '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });

  it('reproduces the S3 GET object example (Range header, empty payload hash)', () => {
    const signed = signRequest(
      {
        method: 'GET',
        url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
        headers: { Range: 'bytes=0-9', 'x-amz-content-sha256': emptyPayloadHash },
        payloadHash: emptyPayloadHash,
      },
      { region: 'us-east-1', service: 's3', credentials: s3Credentials, now: s3Now },
    );
    expect(signed.signature).toBe(
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(signed.headers.authorization).toContain(
      'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,',
    );
  });

  it('reproduces the S3 PUT object example (path encoded once, signed payload)', () => {
    const body = 'Welcome to Amazon S3.';
    const payloadHash = createHash('sha256').update(body).digest('hex');
    expect(payloadHash).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const signed = signRequest(
      {
        method: 'PUT',
        url: new URL('https://examplebucket.s3.amazonaws.com/test$file.text'),
        headers: {
          Date: 'Fri, 24 May 2013 00:00:00 GMT',
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
          'x-amz-content-sha256': payloadHash,
        },
        payloadHash,
      },
      { region: 'us-east-1', service: 's3', credentials: s3Credentials, now: s3Now },
    );
    expect(signed.canonicalRequest.split('\n')[1]).toBe('/test%24file.text');
    expect(signed.signature).toBe(
      '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    );
  });

  it('reproduces the S3 examples with query strings (valueless, and sorted)', () => {
    const sign = (url: string) =>
      signRequest(
        {
          method: 'GET',
          url: new URL(url),
          headers: { 'x-amz-content-sha256': emptyPayloadHash },
          payloadHash: emptyPayloadHash,
        },
        { region: 'us-east-1', service: 's3', credentials: s3Credentials, now: s3Now },
      );
    const lifecycle = sign('https://examplebucket.s3.amazonaws.com/?lifecycle');
    expect(lifecycle.canonicalRequest.split('\n')[2]).toBe('lifecycle=');
    expect(lifecycle.signature).toBe(
      'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
    );
    const list = sign('https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2');
    expect(list.canonicalRequest.split('\n')[2]).toBe('max-keys=2&prefix=J');
    expect(list.signature).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
  });

  it('encodes reserved characters and formats dates as SigV4 expects', () => {
    expect(encodeRfc3986("a b/c~d*'!")).toBe('a%20b%2Fc~d%2A%27%21');
    expect(formatAmzDate(new Date('2015-08-30T12:36:00.123Z'))).toBe('20150830T123600Z');
  });
});
