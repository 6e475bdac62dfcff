export * from './audit.ts';
export * from './auth.ts';
export * from './common.ts';
export * from './endpoints.ts';
export * from './errors.ts';
export * from './permissions.ts';
export * from './tokens.ts';
export * from './users.ts';
