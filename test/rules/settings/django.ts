/** A Django project whose celery app reads the settings module; `namespace` adds namespace='CELERY'. */
export function djangoFiles(namespace: boolean): Record<string, string> {
  return {
    'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
    'proj/__init__.py': '',
    'proj/celery.py': djangoApp(namespace),
  };
}

export function djangoApp(namespace: boolean): string {
  const ns = namespace ? ", namespace='CELERY'" : '';
  return `import os\nfrom celery import Celery\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\napp = Celery('proj')\napp.config_from_object('django.conf:settings'${ns})\napp.autodiscover_tasks()\n`;
}
