/** celery-lint's own version (package.json's; a test holds them equal). Caches and reports are stamped with it. */
export const VERSION = '0.1.0';
