import { z } from 'zod';

// Zod compiles fast parsers with `new Function`; the server's CSP forbids eval, so the probe
// would raise a violation report. This module must load before any schema is built.
z.config({ jitless: true });
