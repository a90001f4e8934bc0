import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildModel } from '../../src/sources/build.js';
import type { ProjectModel, Span } from '../../src/model/types.js';
import { FIXTURES } from '../helpers/project.js';

const loc = (s: Span) => `${s.file}:${s.start.line}:${s.start.column}-${s.end.line}:${s.end.column}`;

/** One line per fact: what celery-lint understood of each fixture's tasks, call sites and Celery imports. */
function summary(m: ProjectModel) {
  return {
    tasks: m.tasks.map((t) => [t.name, t.decorator, Object.keys(t.options).join(',') || '-', loc(t.span)].join(' ')),
    calls: m.callSites.map((c) => [c.kind, c.task ?? (c.kind === 'http' ? c.target : undefined) ?? '?', c.resultUsage ?? '-', c.inTask ? 'in-task' : '-', loc(c.span)].join(' ')),
    imports: m.imports.map((i) => [i.module, i.names.map((n) => n.name).join(',') || '-', loc(i.span)].join(' ')),
  };
}

const EXPECTED: Record<string, ReturnType<typeof summary>> = {
  'example': {
    tasks: [
      'shop.tasks.send_receipt app.task - shop/tasks.py:5:1-6:45',
      'shop.tasks.refresh_stock app.task ignore_result shop/tasks.py:10:1-11:15',
    ],
    calls: [
      'delay shop.tasks.send_receipt discarded - shop/views.py:5:5-5:33',
      'delay shop.tasks.refresh_stock discarded - shop/views.py:7:9-7:33',
    ],
    imports: [
      'celery Celery shop/celery.py:1:1-1:26',
    ],
  },
  'celery31-django': {
    tasks: [
      'proj.celery.debug_task app.task bind proj/celery.py:16:1-17:49',
      'reports.legacy.reset_export legacy.task - reports/legacy.py:8:1-9:80',
      'reports.tasks.download_export legacy.task - reports/tasks.py:20:1-28:16',
      'reports.tasks.render_pdf legacy.task - reports/tasks.py:32:1-35:27',
      'reports.tasks.notify_owners legacy.task - reports/tasks.py:39:1-44:52',
      'reports.tasks.refresh_dashboards legacy.task - reports/tasks.py:48:1-50:41',
      'reports.tasks.send_weekly_digest legacy.task - reports/tasks.py:54:1-57:93',
      'reports.tasks.purge_old_exports legacy.periodic_task run_every,ignore_result reports/tasks.py:61:1-69:50',
    ],
    calls: [
      'http requests.get assigned in-task reports/tasks.py:22:9-22:75',
      'http_body ? - in-task reports/tasks.py:24:29-24:38',
      'delay reports.tasks.download_export discarded in-task reports/tasks.py:50:9-50:41',
      'delay reports.tasks.download_export discarded - reports/views.py:13:5-13:37',
      'delay reports.tasks.notify_owners discarded - reports/views.py:14:5-14:35',
      'delay reports.tasks.render_pdf assigned - reports/views.py:19:14-19:46',
      'get reports.tasks.render_pdf - - reports/views.py:20:11-20:23',
      'AsyncResult ? assigned - reports/views.py:25:14-25:34',
      'result_attr ? - - reports/views.py:26:55-26:67',
    ],
    imports: [
      'celery Celery proj/celery.py:5:1-5:26',
      'celery.schedules crontab proj/settings.py:6:1-6:37',
      'djcelery - proj/settings.py:7:1-7:16',
      'celery.decorators task reports/legacy.py:2:1-2:35',
      'celery.schedules crontab reports/tasks.py:8:1-8:37',
      'celery.task task,periodic_task reports/tasks.py:9:1-9:44',
      'celery.result AsyncResult reports/views.py:1:1-1:38',
    ],
  },
  'mongo-broker': {
    tasks: [
      'jobcenter.jobs.run_job app.task bind,max_retries,default_retry_delay jobcenter/jobs.py:11:1-22:47',
      'jobcenter.jobs.expire_finished_jobs app.task ignore_result jobcenter/jobs.py:26:1-29:53',
      'jobcenter.jobs.sync_cluster_health app.task ignore_result jobcenter/jobs.py:33:1-34:55',
    ],
    calls: [
      'apply_async jobcenter.jobs.run_job assigned - jobcenter/api.py:6:14-6:68',
      'delay jobcenter.jobs.run_job discarded - jobcenter/api.py:12:9-12:30',
      'retry jobcenter.jobs.run_job - in-task jobcenter/jobs.py:20:15-20:34',
    ],
    imports: [
      'celery Celery jobcenter/app.py:1:1-1:26',
      'celery.schedules crontab jobcenter/celeryconfig.py:4:1-4:37',
    ],
  },
  'redis-healthcheck': {
    tasks: [
      'app.tasks.make_thumbnail app.task ignore_result app/tasks.py:11:1-15:65',
      'app.tasks.image_info app.task - app/tasks.py:19:1-21:80',
    ],
    calls: [
      'inspect_ping ? - - web/health.py:10:15-10:59',
      'delay app.tasks.make_thumbnail discarded - web/views.py:13:5-13:72',
      'delay app.tasks.image_info assigned - web/views.py:19:14-19:52',
      'get app.tasks.image_info - - web/views.py:20:20-20:41',
    ],
    imports: [
      'celery Celery app/celery.py:1:1-1:26',
    ],
  },
  'big-download': {
    tasks: [
      'downloader.tasks.transfer_file app.task bind,max_retries downloader/tasks.py:16:1-29:20',
      'downloader.tasks.fetch_manifest app.task ignore_result downloader/tasks.py:33:1-37:41',
    ],
    calls: [
      'http requests.get assigned in-task downloader/tasks.py:21:16-21:68',
      'retry downloader.tasks.transfer_file - in-task downloader/tasks.py:23:15-23:39',
      'http_body ? - in-task downloader/tasks.py:25:17-25:33',
      'http requests.get chained in-task downloader/tasks.py:35:16-35:45',
      'http_body ? - in-task downloader/tasks.py:35:16-35:52',
      'delay downloader.tasks.transfer_file discarded in-task downloader/tasks.py:37:9-37:41',
    ],
    imports: [
      'celery Celery downloader/celery.py:3:1-3:26',
    ],
  },
  'modern-app': {
    tasks: [
      'app.tasks.sync_ledger app.task bind,ignore_result,autoretry_for,retry_backoff,max_retries app/tasks.py:14:1-18:113',
      'app.tasks.sync_all_ledgers app.task bind,ignore_result app/tasks.py:22:1-26:37',
      'app.tasks.archive_ledger app.task bind,ignore_result app/tasks.py:30:1-31:86',
      'app.tasks.summarize_ledger shared_task - app/tasks.py:35:1-38:105',
    ],
    calls: [
      'delay app.tasks.summarize_ledger assigned - app/reports.py:8:14-8:47',
      'get app.tasks.summarize_ledger - - app/reports.py:9:12-9:34',
      'http httpx.Client.get assigned in-task app/tasks.py:16:20-16:75',
      'http_body ? - in-task app/tasks.py:18:70-18:85',
      'http httpx.Client.get chained in-task app/tasks.py:24:22-24:57',
      'http_body ? - in-task app/tasks.py:24:22-24:64',
      'delay app.tasks.sync_ledger discarded in-task app/tasks.py:26:9-26:37',
      'http httpx.Client.get chained in-task app/tasks.py:37:19-37:74',
      'http_body ? - in-task app/tasks.py:37:19-37:81',
      'apply_async ? returned - app/tasks.py:42:12-42:91',
      's app.tasks.summarize_ledger - - app/tasks.py:42:18-42:47',
      's app.tasks.archive_ledger - - app/tasks.py:42:49-42:76',
    ],
    imports: [
      'celery Celery app/celery_app.py:3:1-3:26',
      'celery.schedules crontab app/celery_app.py:4:1-4:37',
      'celery chain,shared_task app/tasks.py:4:1-4:38',
    ],
  },
  'django-split-settings': {
    tasks: [
      'apps.orders.tasks.sync_order_to_erp shared_task bind,autoretry_for,retry_backoff,max_retries apps/orders/tasks.py:12:1-21:37',
      'apps.orders.tasks.send_order_confirmation shared_task ignore_result apps/orders/tasks.py:25:1-32:6',
    ],
    calls: [
      'http requests.post assigned in-task apps/orders/tasks.py:14:16-14:88',
      'retry apps.orders.tasks.sync_order_to_erp - in-task apps/orders/tasks.py:17:15-17:41',
      'http_body ? - in-task apps/orders/tasks.py:21:12-21:27',
      'delay apps.orders.tasks.sync_order_to_erp discarded - apps/orders/views.py:15:35-15:68',
      'apply_async apps.orders.tasks.send_order_confirmation discarded - apps/orders/views.py:16:5-16:71',
      'delay apps.orders.tasks.sync_order_to_erp assigned - apps/orders/views.py:22:14-22:47',
    ],
    imports: [
      'celery shared_task apps/orders/tasks.py:2:1-2:31',
      'celery Celery config/celery_app.py:3:1-3:26',
    ],
  },
};

const models = new Map<string, ProjectModel>();
beforeAll(async () => {
  for (const name of Object.keys(EXPECTED)) models.set(name, await buildModel(path.join(FIXTURES, name)));
});

describe('tasks, call sites and imports of each fixture', () => {
  for (const name of Object.keys(EXPECTED)) {
    it(name, () => {
      expect(summary(models.get(name)!)).toEqual(EXPECTED[name]);
    });
  }

  it("the shop's own CELERY_ knob read through getattr(settings, ...) is the fixtures' only setting read", () => {
    const reads = [...models].flatMap(([name, m]) => m.settingReads.map((r) => `${name} ${r.via} ${r.name} ${loc(r.span)}`));
    expect(reads).toEqual(['django-split-settings getattr CELERY_TASK_PRIORITY_ORDERS apps/orders/priorities.py:4:42-4:69']);
  });

  it('the health check of redis-healthcheck pings through inspect() with no retry around it (seed 000)', () => {
    const ping = models.get('redis-healthcheck')!.callSites.find((c) => c.kind === 'inspect_ping')!;
    expect(ping).toMatchObject({ inRetry: false, inFunction: 'health', receiver: 'celery_app.control.inspect(timeout=1)' });
  });

  it('the 3.1 project reads a render_pdf result without a timeout and an AsyncResult state by id', () => {
    const calls = models.get('celery31-django')!.callSites;
    expect(calls.find((c) => c.kind === 'get')).toMatchObject({ hasTimeout: false, resultOf: { kind: 'delay', task: 'reports.tasks.render_pdf' } });
    expect(calls.find((c) => c.kind === 'result_attr')).toMatchObject({ receiver: 'result', resultOf: { kind: 'AsyncResult' } });
  });
});
