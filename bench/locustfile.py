"""Locust scenario (bench/load.sh, bench/extras.py): each simulated user reuses a logged-in session of a benchmark
user and visits the benchmark pages (bench/pages.py, bench/one_org.py), weighted like a working day (lists and
dossiers most often), with 1–3 s of think time.

Only ever pointed at a server on 127.0.0.1; run time and user count are set by the caller.
"""

import json
import os
import random

from locust import HttpUser, between, task


TARGETS = json.loads(open(os.environ["TREMPLIN_LOAD_TARGETS"], encoding="utf-8").read())  # noqa: SIM115
WEIGHTS = {
    "caseload": 4,
    "jeunes (liste)": 4,
    "jeunes (recherche)": 3,
    "recherche (champ)": 2,
    "dossier": 4,
    "portail partenaire": 2,
    "séance d'atelier": 2,
    "immersion (formulaire)": 1,
    "placement (formulaire)": 1,
    "bilan": 1,
    "tableau de bord (coordination)": 1,
}
CHOICES = [t for t in TARGETS for _ in range(WEIGHTS.get(t["name"], 1))]


class Visitor(HttpUser):
    wait_time = between(1, 3)

    @task
    def page(self):
        target = random.choice(CHOICES)  # noqa: S311 - load mix, not security
        self.client.cookies.clear()
        headers = {"Cookie": f"{target['cookie_name']}={target['cookie']}"}
        with self.client.get(
            target["url"], name=target["name"], headers=headers, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code == 0:
                r.failure(f"connexion : {r.error!r}")
            elif r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
