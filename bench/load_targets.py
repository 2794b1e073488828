"""Print the JSON the locustfile reads: session cookies of the benchmark users and the URLs each one visits
(the pages of bench/one_org.py, which include those of bench/pages.py). Run with DATABASE_URL set."""

import json
import os
import sys
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from bench.one_org import pages

    targets = []
    for name, user, url in pages():
        if url is None:
            continue
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        targets.append({"name": name, "url": url, "cookie": cookie, "cookie_name": settings.SESSION_COOKIE_NAME})
    print(json.dumps(targets, ensure_ascii=False))


if __name__ == "__main__":
    main()
