"""A local OpenID Connect provider for the ProConnect tests: django-oauth-toolkit in its own Django project.

It runs as a subprocess (``python -m tests.oidc_provider.server``, started by the ``oidc_provider`` fixture of
``tests/oidc_provider/fixture.py``), with its own settings, a SQLite database in a temporary folder, an RSA key
generated at start-up (RS256 ID tokens), one confidential application for Tremplin and ProConnect-like claims
(``given_name``, ``usual_name``, ``siret``, ``uid``, ``idp_id``, a configurable ``amr``). See docs/browser-tests.md.
"""
