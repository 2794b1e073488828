"""Search fields: pick a young person, a company, a user… among thousands without rendering them all.

A form declares one of two ways (both keep the ``ScopedFormMixin`` scope check of the queryset on POST)::

    class ImmersionForm(ScopedFormMixin, forms.ModelForm):
        jeune = SearchChoiceField("jeune", queryset=Jeune.objects.none(), label="Jeune")
        search_fields = {"entreprise": "entreprise"}  # turn the model's own FK field into a search field

A *kind* (``"jeune"``, ``"entreprise"``, ``"utilisateur"``…) says how to search and label one model; apps register
theirs with ``register_search`` in their ``forms.py``. The field renders a text input « n° ou nom » and, below it,
the radio buttons (check boxes for a multiple choice) of the current value and of the matches — never more than
``SEARCH_LIMIT``:

- with JavaScript, htmx asks ``/recherche/?type=<kind>&champ=<name>&<name>__q=…`` (``core.views.search``) for the
  matches while one types;
- without JavaScript, submitting the form with only a search typed re-renders it with the field in error and the
  matches to choose from (a number typed alone picks that record if it is in the field's queryset).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode


SEARCH_LIMIT = 20


@dataclass
class SearchKind:
    model: type
    queryset: Callable  # (request) -> the records the search view may offer (before the scope rule)
    search: Callable  # (queryset, text) -> queryset, ordered
    label: Callable = str


SEARCH_KINDS: dict[str, SearchKind] = {}


def register_search(kind, model, *, queryset, search, label=str):
    SEARCH_KINDS[kind] = SearchKind(model=model, queryset=queryset, search=search, label=label)


def get_kind(kind):
    """The registered kind (the apps' ``forms`` modules are imported first: they register theirs)."""
    if kind not in SEARCH_KINDS:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("forms")
    return SEARCH_KINDS.get(kind)


def run_search(kind, queryset, text):
    """The matches of ``text`` in ``queryset`` (``SEARCH_LIMIT`` + 1 at most, to tell there are more)."""
    text = (text or "").strip()
    if not text:
        return []
    if text.isdigit():
        found = list(queryset.filter(pk=int(text))[:1]) if len(text) < 18 else []
        if found:
            return found
    return list(get_kind(kind).search(queryset, text)[: SEARCH_LIMIT + 1])


class SearchQuery(str):
    """What was typed in the search box of a field when no record was picked (the form re-renders with matches)."""


def results_context(kind, name, matches, text, *, multiple, label, checked=()):
    return {
        "name": name,
        "type": "checkbox" if multiple else "radio",
        "query": text,
        "more": len(matches) > SEARCH_LIMIT,
        "limit": SEARCH_LIMIT,
        "options": [
            # a string: an int would be printed with a thousands separator (« 6 347 ») and never match on POST
            {"value": str(obj.pk), "label": label(obj), "checked": str(obj.pk) in checked}
            for obj in matches[:SEARCH_LIMIT]
        ],
    }


class SearchSelect(forms.Widget):
    template_name = "core/widgets/search_select.html"
    multiple = False

    def __init__(self, kind, attrs=None, compact=False):
        """``compact``: in a filter bar, the help sentence is read by screen readers only."""
        super().__init__(attrs)
        self.kind = kind
        self.compact = compact
        self.choices = ()

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            chosen = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        else:
            chosen = data.get(name)
        if chosen:
            return chosen
        text = (data.get(f"{name}__q") or "").strip()
        return SearchQuery(text) if text else ([] if self.multiple else None)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}__q" not in data

    def _selected(self, queryset, value):
        if isinstance(value, SearchQuery) or value in (None, "", []):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        pks = [v.pk if hasattr(v, "pk") else v for v in values]
        pks = [pk for pk in (str(pk) for pk in pks) if pk.isdigit()]
        if not pks or queryset is None:
            return []
        return list(queryset.filter(pk__in=pks)[: SEARCH_LIMIT * 5])

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        field = getattr(self.choices, "field", None)
        queryset = field.queryset if field is not None else None
        label = field.label_from_instance if field is not None else str
        text = value if isinstance(value, SearchQuery) else ""
        selected = self._selected(queryset, value)
        chosen = {str(obj.pk) for obj in selected}
        matches = [obj for obj in run_search(self.kind, queryset, text) if str(obj.pk) not in chosen] if text else []
        widget = context["widget"]
        params = {"type": self.kind, "champ": name, "multiple": int(self.multiple)}
        optional = field is not None and not field.required
        widget_id = widget["attrs"].get("id") or f"id_{name}"
        widget["attrs"]["id"] = widget_id
        described = [widget["attrs"].get("aria-describedby"), f"{widget_id}_aide"]
        widget["attrs"]["aria-describedby"] = " ".join(d for d in described if d)
        widget.update(
            {
                "id": widget_id,
                "query": text,
                "url": reverse("search") + "?" + urlencode(params),
                "selected": results_context(
                    self.kind, name, selected, "", multiple=self.multiple, label=label, checked=chosen
                )["options"],
                "results": results_context(self.kind, name, matches, text, multiple=self.multiple, label=label),
                "type": "checkbox" if self.multiple else "radio",
                "required": bool(field and field.required),
                "empty_label": getattr(field, "empty_label", None) if optional else None,
                "compact": self.compact,
            }
        )
        return context

    def id_for_label(self, id_):
        return id_

    def use_required_attribute(self, initial):
        return False  # the search box stays empty once a radio is picked


class SearchSelectMultiple(SearchSelect):
    multiple = True


class _SearchFieldMixin:
    search_error = "Choisissez dans la liste des résultats ci-dessous (ou tapez le n° exact)."

    def label_from_instance(self, obj):
        custom = getattr(self, "_label", None)
        if custom is not None:
            return custom(obj)
        found = get_kind(self.kind)
        return found.label(obj) if found else str(obj)


class SearchChoiceField(_SearchFieldMixin, forms.ModelChoiceField):
    def __init__(self, kind, queryset=None, **kwargs):
        self.kind = kind
        kwargs.setdefault("widget", SearchSelect(kind))
        super().__init__(queryset, **kwargs)

    def to_python(self, value):
        if isinstance(value, SearchQuery):
            if value.isdigit():
                try:
                    return super().to_python(str(value))
                except ValidationError:
                    pass
            raise ValidationError(self.search_error, code="search")
        return super().to_python(value)


class SearchMultipleChoiceField(_SearchFieldMixin, forms.ModelMultipleChoiceField):
    def __init__(self, kind, queryset=None, **kwargs):
        self.kind = kind
        kwargs.setdefault("widget", SearchSelectMultiple(kind))
        super().__init__(queryset, **kwargs)

    def clean(self, value):
        if isinstance(value, SearchQuery):
            if value.isdigit() and self.queryset.filter(pk=int(value)).exists():
                return super().clean([str(value)])
            raise ValidationError(self.search_error, code="search")
        return super().clean(value)


def as_search_field(field, kind):
    """The search-field twin of a model choice ``field`` (same label, help text, queryset, requiredness)."""
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    cls = SearchMultipleChoiceField if multiple else SearchChoiceField
    kwargs = {
        "queryset": field.queryset,
        "required": field.required,
        "label": field.label,
        "help_text": field.help_text,
        "initial": field.initial,
        "disabled": field.disabled,
    }
    if not multiple:
        kwargs["empty_label"] = field.empty_label
    new = cls(kind, **kwargs)
    if type(field).label_from_instance is not forms.ModelChoiceField.label_from_instance:
        new._label = field.label_from_instance
    new.error_messages.update(field.error_messages)
    return new


def words(*fields):
    """A search over ``fields`` (``icontains`` on each word, every word must match one field)."""

    def search(queryset, text):
        condition = Q()
        for word in text.split()[:6]:
            one = Q()
            for name in fields:
                one |= Q(**{f"{name}__icontains": word})
            condition &= one
        return queryset.filter(condition)

    return search
