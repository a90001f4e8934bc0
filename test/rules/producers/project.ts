/** Python tasks for the producer rule tests: registered as `tasks.add`, `billing.charge`, `tasks.notify`. */
export const TASKS =
  "from app import app\n\n\n@app.task\ndef add(x, y):\n    return x + y\n\n\n@app.task(name='billing.charge')\ndef charge(order_id):\n    return order_id\n\n\n@app.task(ignore_result=True)\ndef notify(user_id):\n    pass\n";

export const NODE_CLIENT = "import { createClient } from 'celery-node';\nexport const client = createClient('redis://redis:6379/0', 'redis://redis:6379/1');\n";

/** A celery-node service sending `body` (lines after the client) in `svc/send.ts`. */
export function nodeProject(body: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'tasks.py': TASKS, 'svc/send.ts': NODE_CLIENT + body, ...extra };
}
