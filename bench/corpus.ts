import fs from 'node:fs';
import path from 'node:path';

/**
 * Generates a deterministic synthetic Python project: `files` modules of realistic size (~10 KB), about 3% of
 * them (or `celeryShare`) touching Celery (tasks, call sites, config), the rest ordinary application code.
 */
export function generateCorpus(dir: string, files: number, seed = 42, celeryShare = 0.03): { bytes: number; files: number } {
  fs.rmSync(dir, { recursive: true, force: true });
  let state = seed;
  const rand = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  let bytes = 0;
  const write = (rel: string, text: string) => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    bytes += Buffer.byteLength(text);
  };
  write('requirements.txt', 'celery==5.3.6\nkombu==5.3.4\nredis==5.0.1\ndjango==4.2.11\n');
  write('proj/__init__.py', '');
  write('proj/celery.py', "import os\nfrom celery import Celery\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\napp = Celery('proj')\napp.config_from_object('django.conf:settings', namespace='CELERY')\napp.autodiscover_tasks()\n");
  write('proj/settings.py', "CELERY_BROKER_URL = 'redis://redis:6379/0'\nCELERY_RESULT_BACKEND = 'redis://redis:6379/1'\nCELERY_TASK_SERIALIZER = 'json'\nCELERY_ACCEPT_CONTENT = ['json']\nDEBUG = False\n");
  const packages = Math.max(1, Math.round(files / 50));
  for (let p = 0; p < packages; p++) write(`apps/pkg${p}/__init__.py`, '');
  for (let i = 0; i < files; i++) {
    const pkg = `pkg${i % packages}`;
    const celery = rand() < celeryShare;
    write(`apps/${pkg}/mod${i}.py`, celery ? celeryModule(i, rand) : plainModule(i, rand));
  }
  return { bytes, files: files + packages + 3 };
}

function plainModule(i: number, rand: () => number): string {
  const parts = [`"""Module ${i}: ordinary application code."""`, 'import logging', 'from dataclasses import dataclass', '', 'log = logging.getLogger(__name__)', ''];
  const classes = 3 + Math.floor(rand() * 4);
  for (let c = 0; c < classes; c++) {
    parts.push('@dataclass', `class Model${i}_${c}:`, '    id: int', '    name: str = ""', '    price: float = 0.0', '');
    parts.push(`    def total(self, quantity: int) -> float:`, `        """Price for a quantity, with a discount above ${c + 10} items."""`);
    parts.push(`        if quantity > ${c + 10}:`, '            return self.price * quantity * 0.9', '        return self.price * quantity', '');
    const fns = 4 + Math.floor(rand() * 6);
    for (let f = 0; f < fns; f++) {
      parts.push(`    def method_${f}(self, values: list[int]) -> dict[str, int]:`, `        result = {"count": len(values), "sum": sum(values)}`);
      parts.push(`        for index, value in enumerate(values):`, `            if value % ${f + 2} == 0:`, `                result[f"k{index}"] = value * ${f + 1}`);
      parts.push(`        log.debug("method_${f} of %s: %d values", self.name, len(values))`, '        return result', '');
    }
  }
  return `${parts.join('\n')}\n`;
}

function celeryModule(i: number, rand: () => number): string {
  const parts = ['from celery import shared_task', 'import requests', '', ''];
  const tasks = 2 + Math.floor(rand() * 4);
  for (let t = 0; t < tasks; t++) {
    parts.push(`@shared_task(bind=True, max_retries=3${rand() < 0.5 ? ', ignore_result=True' : ''})`, `def task_${i}_${t}(self, item_id):`);
    parts.push('    try:', `        r = requests.get(f"https://api.example.com/items/{item_id}", timeout=10)`, '        return r.json()');
    parts.push('    except requests.RequestException as exc:', `        raise self.retry(exc=exc, countdown=${30 * (t + 1)})`, '', '');
  }
  parts.push(`def enqueue_${i}(ids):`, '    for item_id in ids:', `        task_${i}_0.delay(item_id)`, `    res = task_${i}_1.apply_async(args=(ids[0],), countdown=10)`, '    return res.get(timeout=30)', '');
  return `${parts.join('\n')}\n${plainModule(i, rand)}`;
}
