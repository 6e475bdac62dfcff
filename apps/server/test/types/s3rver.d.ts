// The part of s3rver's API the S3 evidence store test uses (the package ships no types).
declare module '@20minutes/s3rver' {
  /** A bucket created when the server starts. */
  export interface S3rverBucket {
    name: string;
    configs: (string | Buffer)[];
  }

  /** Options of a server. */
  export interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    configureBuckets?: S3rverBucket[];
  }

  /** An S3-compatible server storing objects in a folder. */
  export default class S3rver {
    constructor(options: S3rverOptions);
    /** Listen; resolves with the bound address. */
    run(): Promise<import('node:net').AddressInfo | string | null>;
    /** Stop listening. */
    close(): Promise<void>;
  }
}
