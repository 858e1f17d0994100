/**
 * A small JUnit XML writer: suites of test cases with stable names; a
 * failure carries its message and details; properties and system-out hold
 * what changes from run to run (seed, path, counterexample).
 */
export interface JUnitCase {
  readonly name: string;
  readonly classname: string;
  readonly timeSeconds?: number;
  readonly failure?: { readonly message: string; readonly type: string; readonly details: string };
  readonly skipped?: string;
  readonly error?: { readonly message: string; readonly details: string };
  readonly properties?: Readonly<Record<string, string | number>>;
  readonly systemOut?: string;
}

export interface JUnitSuite {
  readonly name: string;
  readonly cases: readonly JUnitCase[];
  readonly timeSeconds?: number;
  readonly properties?: Readonly<Record<string, string | number>>;
}

export function escapeXml(text: string): string {
  // Characters XML 1.0 forbids are dropped; the rest are escaped.
  return text
    .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD]/g, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function propertiesXml(properties: Readonly<Record<string, string | number>> | undefined, indent: string): string {
  if (properties === undefined || Object.keys(properties).length === 0) return '';
  const items = Object.entries(properties).map(([k, v]) => `${indent}  <property name="${escapeXml(k)}" value="${escapeXml(String(v))}"/>`);
  return `${indent}<properties>\n${items.join('\n')}\n${indent}</properties>\n`;
}

export function junitXml(suites: readonly JUnitSuite[]): string {
  const count = (pick: (c: JUnitCase) => boolean) => suites.reduce((n, s) => n + s.cases.filter(pick).length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="cardfuzz" tests="${count(() => true)}" failures="${count((c) => c.failure !== undefined)}" errors="${count((c) => c.error !== undefined)}" skipped="${count((c) => c.skipped !== undefined)}">`,
  ];
  for (const suite of suites) {
    const failures = suite.cases.filter((c) => c.failure !== undefined).length;
    const errors = suite.cases.filter((c) => c.error !== undefined).length;
    const skipped = suite.cases.filter((c) => c.skipped !== undefined).length;
    lines.push(`  <testsuite name="${escapeXml(suite.name)}" tests="${suite.cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(suite.timeSeconds ?? 0).toFixed(3)}">`);
    const props = propertiesXml(suite.properties, '    ');
    if (props) lines.push(props.trimEnd());
    for (const c of suite.cases) {
      lines.push(`    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}" time="${(c.timeSeconds ?? 0).toFixed(3)}">`);
      const caseProps = propertiesXml(c.properties, '      ');
      if (caseProps) lines.push(caseProps.trimEnd());
      if (c.failure) lines.push(`      <failure message="${escapeXml(c.failure.message)}" type="${escapeXml(c.failure.type)}">${escapeXml(c.failure.details)}</failure>`);
      if (c.error) lines.push(`      <error message="${escapeXml(c.error.message)}">${escapeXml(c.error.details)}</error>`);
      if (c.skipped !== undefined) lines.push(`      <skipped message="${escapeXml(c.skipped)}"/>`);
      if (c.systemOut) lines.push(`      <system-out>${escapeXml(c.systemOut)}</system-out>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
