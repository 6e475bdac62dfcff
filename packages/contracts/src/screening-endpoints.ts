import { z } from 'zod';
import { idParamsSchema } from './common.ts';
import type { Endpoint } from './endpoints.ts';
import {
  createScreeningAuditSchema,
  screeningAuditSchema,
  screeningListSchema,
  screeningQuerySchema,
  screeningRecordSchema,
  screeningSettingsSchema,
  updateScreeningRecordSchema,
  updateScreeningSettingsSchema,
} from './screening.ts';

function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

/** Endpoints of background screening; all of them HR only (`screening.manage`). */
export const screeningEndpoints = {
  getScreeningSettings: endpoint({
    method: 'GET',
    path: '/api/v1/screening/settings',
    summary: 'Roles that require screening and countries that do not permit it',
    tag: 'screening',
    access: 'screening.manage',
    response: screeningSettingsSchema,
  }),
  updateScreeningSettings: endpoint({
    method: 'PUT',
    path: '/api/v1/screening/settings',
    summary: 'Replace the screening rules',
    tag: 'screening',
    access: 'screening.manage',
    audit: 'screening.rules_updated',
    body: updateScreeningSettingsSchema,
    response: screeningSettingsSchema,
  }),
  listScreening: endpoint({
    method: 'GET',
    path: '/api/v1/screening/people',
    summary: 'Screening per person of the directory, with coverage',
    tag: 'screening',
    access: 'screening.manage',
    query: screeningQuerySchema,
    response: screeningListSchema,
  }),
  getScreening: endpoint({
    method: 'GET',
    path: '/api/v1/screening/people/:id',
    summary: 'One person’s screening',
    tag: 'screening',
    access: 'screening.manage',
    params: idParamsSchema,
    response: screeningRecordSchema,
  }),
  updateScreening: endpoint({
    method: 'PUT',
    path: '/api/v1/screening/people/:id',
    summary: 'Record a person’s screening outcome and dates (never the report)',
    tag: 'screening',
    access: 'screening.manage',
    audit: 'screening.record_updated',
    params: idParamsSchema,
    body: updateScreeningRecordSchema,
    response: screeningRecordSchema,
  }),
  listScreeningAudits: endpoint({
    method: 'GET',
    path: '/api/v1/screening/audits',
    summary: 'Quarterly audits of new hires’ screening',
    tag: 'screening',
    access: 'screening.manage',
    response: z.object({ items: z.array(screeningAuditSchema) }),
  }),
  recordScreeningAudit: endpoint({
    method: 'POST',
    path: '/api/v1/screening/audits',
    summary: 'Record the quarterly audit of a quarter’s new hires; it is the task’s evidence',
    tag: 'screening',
    access: 'screening.manage',
    audit: 'screening.audit_recorded',
    body: createScreeningAuditSchema,
    response: screeningAuditSchema,
    successStatus: 201,
  }),
} as const;
