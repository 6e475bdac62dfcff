#!/usr/bin/env node
import { register } from 'tsx/esm/api';

register();
// `steward scans` only speaks HTTP; its own entry skips loading the server.
await import(process.argv[2] === 'scans' ? '../src/scans-main.ts' : '../src/main.ts');
