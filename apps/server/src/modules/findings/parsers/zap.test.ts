import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, useReportFiles } from './parser-test-helpers.ts';
import { zapParser } from './zap.ts';

const { collect, errorOf } = bindParser(zapParser);

describe.skipIf(!hasSharedData('corpus', 'scans'))('zapParser on the corpus', () => {
  const corpus = (file: string) => sharedPath('corpus', 'scans', 'zap', file);

  it('reads one result per alert, skipping commented-out alerts', async () => {
    const results = await collect(corpus('0_zap_sample.xml'));
    expect(results.map((result) => [result.ruleId, result.severity])).toEqual([
      ['10011', 'low'],
      ['10054', 'low'],
      ['10055', 'medium'],
      ['10096', 'low'],
    ]);
    expect(results.map((result) => result.identityKey)).toEqual([
      'dast:10011|mainsite.com',
      'dast:10054|mainsite.com',
      'dast:10055|mainsite.com',
      'dast:10096|mainsite.com',
    ]);
  });

  it('turns the instances into one location per distinct URL', async () => {
    const [cookie] = await collect(corpus('0_zap_sample.xml'));
    expect(cookie).toMatchObject({
      category: 'dast',
      title: 'Cookie Without Secure Flag',
      cwes: [614],
      locations: [{ url: 'https://mainsite.com/dashboard' }, { url: 'https://mainsite.com' }],
      references: ['http://www.owasp.org/index.php/Testing_for_cookies_attributes_(OWASP-SM-002)'],
      arrivalState: 'open',
      tool: 'zap',
    });
    expect(cookie?.description).toMatch(/^A cookie has been set without the secure flag/);
    expect(cookie?.remediation).toMatch(/^Whenever a cookie contains sensitive information/);
  });

  it('splits references that ZAP glued together', async () => {
    const results = await collect(corpus('0_zap_sample.xml'));
    expect(results[2]?.references).toEqual([
      'http://www.w3.org/TR/CSP2/',
      'http://www.w3.org/TR/CSP/',
      'http://caniuse.com/#search=content+security+policy',
      'http://content-security-policy.com/',
      'https://github.com/shapesecurity/salvation',
    ]);
  });

  it('appends the other information to the description', async () => {
    const results = await collect(corpus('0_zap_sample.xml'));
    expect(results[3]?.description).toBe(
      'A timestamp was disclosed by the application/web server - Unix\n\n265151019, which evaluates to: 1978-05-27 22:03:39',
    );
  });

  it('reads the second run, where one alert disappeared and another appeared', async () => {
    const results = await collect(corpus('1_zap_sample_0_and_new_absent.xml'));
    expect(results.map((result) => result.ruleId)).toEqual(['10054', '10055', '10010', '10096']);
    expect(results[2]?.locations).toEqual([{ url: 'https://mainsite.com' }]);
  });

  it('reads a report without alerts as an empty report', async () => {
    expect(await collect(corpus('empty_2.9.0.xml'))).toEqual([]);
  });

  it('refuses a report of another XML format', async () => {
    const error = await errorOf(sharedPath('corpus', 'scans', 'cyclonedx', 'spec1.xml'));
    expect(error.message).toBe(
      'not a ZAP XML report: the root element is <bom>, expected <OWASPZAPReport>',
    );
  });
});

describe('zapParser', () => {
  const { write: fixture } = useReportFiles('steward-zap-');
  const alert = (pluginid: string, extra = '') => `
    <alertitem>
      <pluginid>${pluginid}</pluginid>
      <name>Alert ${pluginid}</name>
      <riskcode>3</riskcode>
      <confidence>2</confidence>
      <instances><instance><uri>https://a.example/x</uri><method>GET</method></instance></instances>
      ${extra}
    </alertitem>`;

  it('keys alerts by alertRef and site host, so each site has its own finding', async () => {
    const path = await fixture(
      'sites.xml',
      `<?xml version="1.0"?>
      <OWASPZAPReport version="2.14.0">
        <site name="https://a.example" host="a.example" port="443" ssl="true"><alerts>
          ${alert('40012', '<alertRef>40012-1</alertRef>')}
        </alerts></site>
        <site name="https://b.example:8443" host="" port="8443" ssl="true"><alerts>
          ${alert('40012', '<alertRef>40012-1</alertRef>')}
        </alerts></site>
      </OWASPZAPReport>`,
    );
    const results = await collect(path);
    expect(results.map((result) => result.identityKey)).toEqual([
      'dast:40012-1|a.example',
      'dast:40012-1|b.example',
    ]);
    expect(results[0]).toMatchObject({ ruleId: '40012-1', severity: 'high' });
  });

  it('reads newer reports whose texts carry escaped HTML paragraphs', async () => {
    const path = await fixture(
      'html.xml',
      `<OWASPZAPReport><site host="a.example"><alerts>${alert(
        '10038',
        `<desc>&lt;p&gt;First.&lt;/p&gt;&lt;p&gt;Second.&lt;/p&gt;</desc>
         <solution>&lt;p&gt;Set the header.&lt;/p&gt;</solution>
         <reference>&lt;p&gt;https://a.example/one&lt;/p&gt;&lt;p&gt;https://a.example/two&lt;/p&gt;</reference>
         <cweid>693</cweid>`,
      )}</alerts></site></OWASPZAPReport>`,
    );
    const [result] = await collect(path);
    expect(result).toMatchObject({
      description: 'First.\n\nSecond.',
      remediation: 'Set the header.',
      references: ['https://a.example/one', 'https://a.example/two'],
      cwes: [693],
    });
  });

  it('marks an alert a person set to confidence 0 as a false positive', async () => {
    const path = await fixture(
      'false-positive.xml',
      `<OWASPZAPReport><site host="a.example"><alerts>${alert('1').replace(
        '<confidence>2</confidence>',
        '<confidence>0</confidence>',
      )}</alerts></site></OWASPZAPReport>`,
    );
    const [result] = await collect(path);
    expect(result?.arrivalState).toBe('false_positive');
  });

  it('maps every risk code', async () => {
    const items = ['3', '2', '1', '0']
      .map((risk, i) =>
        alert(String(i)).replace('<riskcode>3</riskcode>', `<riskcode>${risk}</riskcode>`),
      )
      .join('');
    const path = await fixture(
      'risks.xml',
      `<OWASPZAPReport><site host="a.example"><alerts>${items}</alerts></site></OWASPZAPReport>`,
    );
    expect((await collect(path)).map((result) => result.severity)).toEqual([
      'high',
      'medium',
      'low',
      'info',
    ]);
  });

  it('refuses a DOCTYPE that declares entities (XXE)', async () => {
    const path = await fixture(
      'xxe.xml',
      `<?xml version="1.0"?>
      <!DOCTYPE OWASPZAPReport [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
      <OWASPZAPReport><site host="a.example"><alerts>${alert('1', '<desc>&xxe;</desc>')}</alerts></site></OWASPZAPReport>`,
    );
    const error = await errorOf(path);
    expect(error.message).toBe('XML entity declarations are not allowed');
    expect(error.where?.line).toBe(2);
  });

  it('refuses an unknown risk code and an alert without plugin id', async () => {
    const risk = await fixture(
      'bad-risk.xml',
      `<OWASPZAPReport><site host="a.example"><alerts>${alert('7').replace('<riskcode>3', '<riskcode>9')}</alerts></site></OWASPZAPReport>`,
    );
    expect((await errorOf(risk)).message).toBe('alert 7: unknown <riskcode> "9"');
    const plugin = await fixture(
      'no-plugin.xml',
      `<OWASPZAPReport><site host="a.example"><alerts><alertitem><riskcode>1</riskcode></alertitem></alerts></site></OWASPZAPReport>`,
    );
    expect((await errorOf(plugin)).message).toBe('alert item without <pluginid> or <alertRef>');
  });

  it('refuses zero-byte, truncated and malformed files, naming the line', async () => {
    expect((await errorOf(await fixture('zero.xml', ''))).message).toBe('the file is empty');
    const truncated = await errorOf(
      await fixture('truncated.xml', `<OWASPZAPReport>\n<site host="a">\n<alerts>${alert('1')}`),
    );
    expect(truncated.message).toMatch(
      /^the XML ends too early at line \d+: the file looks truncated/,
    );
    const malformed = await errorOf(
      await fixture(
        'malformed.xml',
        '<OWASPZAPReport>\n<site host="a"></alerts>\n</OWASPZAPReport>',
      ),
    );
    expect(malformed.message).toMatch(/^invalid XML at line 2, column \d+: /);
    expect(malformed.where).toMatchObject({ line: 2, path: 'OWASPZAPReport' });
  });

  it('refuses a JSON file', async () => {
    const error = await errorOf(await fixture('report.json', '{"site": []}'));
    expect(error.message).toMatch(/^invalid XML at line 1/);
  });
});
