/**
 * A Celery 4.4.7 project with one finding of each kind the CLI tests need:
 *   proj/celeryconfig.py:1:1 CEL101, 2:1 CEL101, 3:1 CEL101, 3:26 CEL203; docker-compose.yml:5:26 CEL302.
 */
export const BASE: Record<string, string> = {
  'requirements.txt': 'celery==4.4.7\n',
  'proj/__init__.py': '',
  'proj/celery.py': "from celery import Celery\napp = Celery('proj')\napp.config_from_object('proj.celeryconfig')\n",
  'proj/celeryconfig.py': "CELERY_RESULT_SERIALIZER = 'json'\nBROKER_URL = 'amqp://guest@rabbit:5672//'\nCELERY_ACCEPT_CONTENT = ['pickle', 'json']\n",
  'docker-compose.yml': 'services:\n  worker:\n    command: celery -A proj worker\n    environment:\n      CELERY_BROKER_URL: django://\n',
};

export const ALL_FINDINGS = [
  'docker-compose.yml:5:26: CEL302',
  'proj/celeryconfig.py:1:1: CEL101 [*]',
  'proj/celeryconfig.py:2:1: CEL101 [*]',
  'proj/celeryconfig.py:3:1: CEL101 [*]',
  'proj/celeryconfig.py:3:26: CEL203',
  '5 findings, 3 fixable with --fix.',
];
