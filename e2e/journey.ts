import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchBrowser } from './browser.ts';
import {
  makeDataDir,
  removeDataDir,
  startStewardProcess,
  stewardEnv,
  type StewardProcess,
} from './support.ts';

/** A Steward process on a fresh data directory, and the Chromium that drives it. */
export interface Journey {
  server: StewardProcess;
  browser: Browser;
}

/** Start Steward on a fresh data directory (once `beforeStart` has prepared it), then launch Chromium. */
export async function startJourney(
  beforeStart?: (dataDir: string, env: Record<string, string>) => Promise<void>,
): Promise<Journey> {
  const dataDir = await makeDataDir();
  const env = await stewardEnv(dataDir);
  await beforeStart?.(dataDir, env);
  const server = await startStewardProcess(env);
  try {
    return { server, browser: await launchBrowser() };
  } catch (error) {
    // The caller never receives a server whose browser failed to start, so none would stop it.
    await server.stop();
    throw error;
  }
}

/**
 * Close Chromium, stop Steward and remove its data directory. Either may be missing when the
 * journey failed to start, and then only what did start is stopped.
 */
export async function stopJourney({ server, browser }: Partial<Journey>): Promise<void> {
  await browser?.close();
  if (!server) return;
  await server.stop();
  await removeDataDir(server.dataDir);
}

/** A browser window size. */
export interface Viewport {
  width: number;
  height: number;
}

/** The laptop window most journeys use. */
export const desktopViewport: Viewport = { width: 1280, height: 900 };

/** The phone window of journeys that prove a page works on a phone. */
export const phoneViewport: Viewport = { width: 390, height: 844 };

/** A platform authenticator that holds discoverable passkeys and verifies its user. */
export const virtualAuthenticatorOptions = {
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
} as const;

/** The owner filled in on the setup page. */
export interface OwnerDetails {
  org: string;
  name: string;
  email: string;
  password: string;
}

/** Someone who signs in with an email and a password. */
export interface PasswordCredentials {
  email: string;
  password: string;
}

/** A browser context and its page, with the virtual authenticator attached to the page. */
export interface PasskeyPage {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
}

/** A JSON API call with a bearer token, failing on any non-2xx answer. */
export type ApiCaller = <T>(method: string, urlPath: string, body?: unknown) => Promise<T>;

/** Attach Chromium's virtual WebAuthn authenticator to a page. */
export async function addVirtualAuthenticator(
  page: Page,
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const added = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: virtualAuthenticatorOptions,
  });
  return { cdp, authenticatorId: added.authenticatorId };
}

/** Open a new browser context and page whose second factor is a virtual passkey authenticator. */
export async function openPasskeyPage(
  browser: Browser,
  viewport: Viewport = desktopViewport,
): Promise<PasskeyPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  return { context, page, ...(await addVirtualAuthenticator(page)) };
}

/** Create the organisation on a fresh install's setup page, stopping at the MFA enrolment. */
export async function createOrganisation(
  page: Page,
  baseUrl: string,
  owner: OwnerDetails,
): Promise<void> {
  await page.goto(baseUrl);
  await page.waitForURL('**/setup');
  await page.getByLabel('Organisation name').fill(owner.org);
  await page.getByLabel('Your name').fill(owner.name);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password', { exact: true }).fill(owner.password);
  await page.getByRole('button', { name: 'Create organisation' }).click();
  // Setting up seeds the program (framework, controls, tasks, annex), so allow it a moment.
  await page.waitForURL('**/mfa-setup', { timeout: 30_000 });
}

/** Name and add a passkey on the page's passkey form. */
export async function enrolPasskey(page: Page, passkeyName: string): Promise<void> {
  await page.getByLabel('Passkey name').fill(passkeyName);
  await page.getByRole('button', { name: 'Add a passkey' }).click();
}

/** Create the organisation, enrol the owner's passkey and wait for the home page. */
export async function setUpOrganisation(
  page: Page,
  baseUrl: string,
  owner: OwnerDetails,
  passkeyName = 'Owner key',
): Promise<void> {
  await createOrganisation(page, baseUrl, owner);
  await enrolPasskey(page, passkeyName);
  await page.waitForURL(`${baseUrl}/`);
}

/** Submit the sign-in form with a person's email and password. */
export async function signInWithPassword(
  page: Page,
  baseUrl: string,
  person: PasswordCredentials,
): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Sign in a person whose role needs a second factor, enrolling their first passkey on the way. */
export async function signInAndEnrolPasskey(
  page: Page,
  baseUrl: string,
  person: PasswordCredentials,
  passkeyName: string,
): Promise<void> {
  await signInWithPassword(page, baseUrl, person);
  await page.waitForURL('**/mfa-setup');
  await enrolPasskey(page, passkeyName);
  await page.waitForURL(`${baseUrl}/`);
}

/** The CSRF token of the page's signed-in session. */
export async function readCsrfToken(page: Page, baseUrl: string): Promise<string> {
  const session = await page.request.get(`${baseUrl}/api/v1/me`);
  return ((await session.json()) as { csrfToken: string }).csrfToken;
}

/** Create a one-day API token through the page's signed-in session; resolves to its secret. */
export async function createArrangementToken(page: Page, baseUrl: string): Promise<string> {
  const csrfToken = await readCsrfToken(page, baseUrl);
  const created = await page.request.post(`${baseUrl}/api/v1/tokens`, {
    headers: { 'x-csrf-token': csrfToken },
    data: { name: 'Journey arrangement', expiresInDays: 1 },
  });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { secret: string }).secret;
}

/** Make a JSON API caller that sends the token as its bearer. */
export function createApiCaller(baseUrl: string, token: string): ApiCaller {
  return async <T>(method: string, urlPath: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${urlPath}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${urlPath} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };
}

/** Connect to a database of the server's embedded cluster as its superuser. */
export async function connectAsSuperuser(
  server: StewardProcess,
  database = 'postgres',
): Promise<pg.Client> {
  const password = (
    await readFile(path.join(server.dataDir, 'secrets', 'postgres-password'), 'utf8')
  ).trim();
  const client = new pg.Client({
    host: '127.0.0.1',
    port: Number(server.env.STEWARD_EMBEDDED_PG_PORT),
    user: 'postgres',
    password,
    database,
  });
  await client.connect();
  return client;
}
