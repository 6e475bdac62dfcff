import { isoCBOR } from '@simplewebauthn/server/helpers';
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

const b64url = (bytes: Uint8Array | Buffer): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest();

/** What a test can tamper with when the authenticator answers. */
export interface AnswerOptions {
  origin?: string;
  rpId?: string;
  isUserVerified?: boolean;
  counter?: number;
  type?: string;
}

/**
 * A software WebAuthn authenticator (ES256, resident keys, attestation `none`) that answers
 * options the way a browser and a platform authenticator would, so the server's verification
 * runs on real signatures. The browser journey uses Chromium's virtual authenticator instead.
 */
export class SoftwareAuthenticator {
  readonly credentialId = b64url(randomBytes(32));
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private userHandle = '';
  counter = 0;

  constructor(private readonly defaults: { origin: string; rpId: string }) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  private coseKey(): Uint8Array {
    const jwk = this.publicKey.export({ format: 'jwk' });
    const x = Buffer.from(jwk.x ?? '', 'base64url');
    const y = Buffer.from(jwk.y ?? '', 'base64url');
    return isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array(x)],
        [-3, new Uint8Array(y)],
      ]),
    );
  }

  private authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const counterBuf = Buffer.alloc(4);
    counterBuf.writeUInt32BE(counter);
    return Buffer.concat([
      sha256(rpId),
      Buffer.from([flags]),
      counterBuf,
      attested ?? Buffer.alloc(0),
    ]);
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** Answer registration options (`navigator.credentials.create`). */
  register(options: { challenge: string; user: { id: string } }, o: AnswerOptions = {}) {
    this.userHandle = options.user.id;
    const idBytes = Buffer.from(this.credentialId, 'base64url');
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(idBytes.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, idBytes, this.coseKey()]);
    const flags = 0x01 | (o.isUserVerified === false ? 0 : 0x04) | 0x40;
    const authData = this.authData(o.rpId ?? this.defaults.rpId, flags, this.counter, attested);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', new Uint8Array(authData)],
      ]) as never,
    );
    const clientDataJSON = this.clientData(
      o.type ?? 'webauthn.create',
      options.challenge,
      o.origin ?? this.defaults.origin,
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** Answer request options (`navigator.credentials.get`); each answer advances the counter. */
  authenticate(options: { challenge: string }, o: AnswerOptions = {}) {
    this.counter = o.counter ?? this.counter + 1;
    const flags = 0x01 | (o.isUserVerified === false ? 0 : 0x04);
    const authData = this.authData(o.rpId ?? this.defaults.rpId, flags, this.counter);
    const clientDataJSON = this.clientData(
      o.type ?? 'webauthn.get',
      options.challenge,
      o.origin ?? this.defaults.origin,
    );
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientDataJSON)]),
      this.privateKey,
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: this.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
