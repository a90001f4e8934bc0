import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import { DIAGS, PASSWORD } from './sample.js';

describe('JUnit XML', () => {
  it('has one testsuite per file and one failing testcase per finding, XML-escaped', () => {
    expect(renderJunit(DIAGS)).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="celery-lint" tests="3" failures="3" errors="0">
  <testsuite name="proj/celeryconfig.py" tests="1" failures="1" errors="0" skipped="0">
    <testcase name="CEL101 renamed-setting at line 2, column 1" classname="proj/celeryconfig.py" file="proj/celeryconfig.py" line="2">
      <failure message="CELERY_RESULT_SERIALIZER is renamed to result_serializer" type="CEL101">proj/celeryconfig.py:2:1: CEL101 CELERY_RESULT_SERIALIZER is renamed to result_serializer</failure>
    </testcase>
  </testsuite>
  <testsuite name="proj/app.py" tests="1" failures="1" errors="0" skipped="0">
    <testcase name="CEL301 dropped-transport-option at line 2, column 7" classname="proj/app.py" file="proj/app.py" line="2">
      <failure message="Celery(broker=&apos;redis://:****@redis:6379/0&apos;) is read differently in 5.0" type="CEL301">proj/app.py:2:7: CEL301 Celery(broker='redis://:****@redis:6379/0') is read differently in 5.0</failure>
    </testcase>
  </testsuite>
  <testsuite name="deploy/Procfile, old" tests="1" failures="1" errors="0" skipped="0">
    <testcase name="CEL401 autoscale-percent at line 1, column 31" classname="deploy/Procfile, old" file="deploy/Procfile, old" line="1">
      <failure message="Autoscale 10,3: max 100% of &quot;slots&quot;&#10;see: docs" type="CEL401">deploy/Procfile, old:1:31: CEL401 Autoscale 10,3: max 100% of "slots"
see: docs</failure>
    </testcase>
  </testsuite>
</testsuites>
`);
    expect(renderJunit(DIAGS)).not.toContain(PASSWORD);
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    const d = { ...DIAGS[0]!, message: 'a <b> & c\u0007', fix: undefined };
    expect(renderJunit([d])).toContain('<failure message="a &lt;b&gt; &amp; c" type="CEL101">proj/celeryconfig.py:2:1: CEL101 a &lt;b&gt; &amp; c</failure>');
  });

  it('has one passing testcase when there is no finding', () => {
    expect(renderJunit([])).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="celery-lint" tests="1" failures="0" errors="0">
  <testsuite name="celery-lint" tests="1" failures="0" errors="0" skipped="0">
    <testcase name="no findings" classname="celery-lint"/>
  </testsuite>
</testsuites>
`);
  });
});
