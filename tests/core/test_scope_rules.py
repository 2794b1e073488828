"""The scope rule holds by construction (docs/architecture.md, "The scope rule").

- every form of the project that offers a model choice is a ``ScopedFormMixin`` form;
- no code outside the scope entry points reads case data (``Model.objects.filter/get/…`` on a scoped model);
- every model pointing to an organisation or a young person declares its ``scoping``.
"""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models

from core.forms import ScopedFormMixin
from core.permissions import Record
from core.scope import is_scoped


ROOT = Path(settings.BASE_DIR)


def _is_project_path(path):
    return Path(path).is_relative_to(ROOT) and not Path(path).is_relative_to(ROOT / ".venv")


PROJECT_APPS = [c for c in apps.get_app_configs() if _is_project_path(c.path)]
# Manager methods that do not read rows (writes, and the scope entry points themselves).
ALLOWED_MANAGER_CALLS = {
    "create",
    "bulk_create",
    "for_request",
    "for_organisation",
    "for_scope",
    "for_platform",  # allowed in the files of PLATFORM_READS only (test below)
    # A partner's feedback on its own orientations: entry/exit of the dossiers they created (youth.models).
    "feedback_fields",
    "feedback_of",
    "none",
    "model",
}


def _app_modules():
    for config in PROJECT_APPS:
        for info in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if ".migrations" in info.name or ".management" in info.name and info.name.endswith("seed_demo"):
                continue
            yield importlib.import_module(info.name)


def _project_forms():
    seen = set()
    for module in _app_modules():
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__ and obj not in seen:
                seen.add(obj)
                yield obj


def _model_choice_fields(form_class):
    fields = dict(getattr(form_class, "base_fields", {}))
    return [name for name, field in fields.items() if isinstance(field, forms.ModelChoiceField)]


def test_every_form_offering_a_model_choice_is_scoped():
    unscoped = [
        f"{form.__module__}.{form.__name__} ({', '.join(_model_choice_fields(form))})"
        for form in _project_forms()
        if _model_choice_fields(form) and not issubclass(form, ScopedFormMixin)
    ]
    assert unscoped == []


# Configuration every staff role reads to fill its forms (operations and their targets, questionnaires): scoped,
# but not case data, so code may read them by key once it holds the operation or the questionnaire.
CONFIGURATION_RECORDS = {Record.OPERATION, Record.QUESTIONNAIRE}
# Where ``for_platform()`` (every organisation) is allowed, and why (core.scope.ScopedQuerySet.for_platform).
PLATFORM_READS = {
    "privacy/retention.py": "the retention job archives and anonymises across organisations",
    "reports/management/commands/bilan.py": "the platform admin names an operation by its code",
    "reports/management/commands/import_participants.py": "the platform admin names an operation by its code",
    "reports/services.py": "a Celery job updates its own bookkeeping row (BilanJob) by id",
    "outreach/tokens.py": "the signed, expiring invitation token is the authorisation",
    "agenda/feed.py": "the secret iCalendar feed token is the authorisation (only its hash is stored)",
    "outreach/tasks.py": "a Celery task sends the e-mail of the object it was queued for",
    "team/tokens.py": "the signed, expiring team invitation token is the authorisation",
    "team/tasks.py": "a Celery task sends the e-mail of the invitation it was queued for",
    "home/management/commands/seed_demo.py": "the demo seeding creates every organisation",
    "funding/seed.py": "the demo seeding creates every organisation",
    "outreach/seed.py": "the demo seeding creates every organisation",
}


def _scoped_model_names():
    return {
        model.__name__
        for model in apps.get_models()
        if is_scoped(model) and model.scoping.record not in CONFIGURATION_RECORDS
    }


SCOPE_ENTRY_POINTS = {"for_request", "for_organisation", "for_scope", "for_platform"}
SCOPED_FETCHERS = {"get_for_request_or_404"}


def _parents(tree):
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    return parents


def _goes_through_scope(node, parents):
    """The method chain that starts at ``node`` calls a scope entry point, or is handed to a scoped fetcher."""
    while True:
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute):
            if parent.attr in SCOPE_ENTRY_POINTS:
                return True
        elif isinstance(parent, ast.Call) and parent.func is not node:
            func = parent.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            return name in SCOPED_FETCHERS and node in parent.args
        elif not isinstance(parent, ast.Call):
            return False
        node = parent


def unscoped_reads(paths, model_names):
    """``file:line Model.objects.<read>`` for every read of a scoped model that bypasses the scope."""
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(), filename=str(path))
        parents = _parents(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr in ("objects", "_default_manager", "_base_manager")
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id in model_names
                and node.attr not in ALLOWED_MANAGER_CALLS
                and not _goes_through_scope(node, parents)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.value.id}.objects.{node.attr}")
    return found


def _source_files():
    for config in PROJECT_APPS:
        for path in Path(config.path).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_no_case_data_read_outside_the_scope_entry_points():
    assert unscoped_reads(_source_files(), _scoped_model_names()) == []


def test_platform_reads_only_where_listed():
    users = {
        str(path.relative_to(ROOT))
        for path in _source_files()
        if "for_platform()" in path.read_text() and path.name != "scope.py"
    }
    assert users <= set(PLATFORM_READS)


def test_the_grep_catches_a_planted_unscoped_read(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text(
        "def leak(request, pk):\n"
        "    ok = Jeune.objects.filter(pk=pk).for_request(request)\n"
        "    ok = get_for_request_or_404(request, Jeune.objects.select_related('referent'), pk=pk)\n"
        "    return Jeune.objects.filter(pk=pk)\n"
    )
    ROOT_files = [planted]
    found = [line.split(" ", 1)[1] for line in _relative(unscoped_reads, ROOT_files, tmp_path)]
    assert found == ["Jeune.objects.filter"]


def _relative(function, paths, base):
    global ROOT
    saved, ROOT = ROOT, base
    try:
        return function(paths, _scoped_model_names())
    finally:
        ROOT = saved


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if _is_project_path(apps.get_app_config(m._meta.app_label).path)],
    ids=lambda m: m._meta.label,
)
def test_models_holding_case_data_declare_their_scope(model):
    if getattr(model, "instance_type", None) is not None:  # history copies follow their model
        return
    targets = {
        field.related_model._meta.label
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
    }
    holds_case_data = bool(targets & {"youth.Jeune", "youth.Participation"}) or (
        "core.Organisation" in targets and model._meta.label not in NOT_CASE_DATA
    )
    if holds_case_data:
        assert is_scoped(model), f"{model._meta.label} doit déclarer scoping = Scoping(...)"


# Models pointing to an organisation that are not case data (accounts, technical logs).
NOT_CASE_DATA = {
    "core.Organisation",
    "core.Membership",
    "core.LoginEvent",
    "outreach.OrientationMessage",
    "privacy.RetentionRun",
}
