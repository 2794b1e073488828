"""Sortable list columns: ``?tri=nom`` / ``?tri=-nom``, a whitelist per list, the header links built here.

A view declares its columns and the default; the template loops over ``sort.columns`` with
``templates/includes/sort_th.html``. An unknown key falls back to the default (never an ``order_by`` of user input).
Each ordering ends with ``pk`` so pagination is stable.
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.functions import Concat


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    fields: tuple = ()  # order_by fields for ascending order; empty: not sortable
    numeric: bool = False


class Sort:
    param = "tri"

    def __init__(self, request, columns, default):
        self.columns_spec = columns
        by_key = {c.key: c for c in columns if c.fields}
        raw = request.GET.get(self.param, "")
        key = raw.removeprefix("-")
        if key not in by_key:
            raw, key = default, default.removeprefix("-")
        self.key, self.descending = key, raw.startswith("-")
        self.column = by_key[key]
        query = request.GET.copy()
        query.pop("page", None)
        query.pop(self.param, None)
        self.base_query = query.urlencode()

    def apply(self, queryset, searching=False):
        """``searching``: the list is narrowed by a text search; see ``unindexed``."""
        fields = [(f[1:] if f.startswith("-") else f"-{f}") if self.descending else f for f in self.column.fields]
        if searching:
            fields = unindexed(queryset.model, fields)
        return queryset.order_by(*fields, "-pk" if self.descending else "pk")

    @property
    def query_with_sort(self):
        """The current filters and this order, without ``page``: what the pagination links carry."""
        prefix = f"{self.base_query}&" if self.base_query else ""
        return f"{prefix}{self.param}={self.value}"

    @property
    def value(self):
        return f"-{self.key}" if self.descending else self.key

    @property
    def columns(self):
        """Header cells: label, link to sort by it (toggling the direction), aria-sort for the active one."""
        cells = []
        for column in self.columns_spec:
            cell = {"label": column.label, "numeric": column.numeric, "url": None, "aria_sort": None}
            if column.fields:
                active = column.key == self.key
                target = column.key if not (active and not self.descending) else f"-{column.key}"
                prefix = f"{self.base_query}&" if self.base_query else ""
                cell["url"] = f"?{prefix}{self.param}={target}"
                if active:
                    cell["aria_sort"] = "descending" if self.descending else "ascending"
            cells.append(cell)
        return cells


def unindexed(model, fields):
    """The same order, through an expression (``nom || ''``) for the model's own text columns.

    The matches of a search by name are adjacent in name order, a correlation PostgreSQL's LIMIT estimate ignores:
    ordered by an indexed ``nom``, it walks the organisation's name index until it reaches them (11 000 rows for
    « lefevre » at 20 000 young people, bench/RESULTS.md). Ordered by an expression no index provides, it reads the
    matches through the trigram index and sorts them (1–3 ms). Same collation, so the same order."""
    ordered = []
    for name in fields:
        descending = name.startswith("-")
        field_name = name.removeprefix("-")
        try:
            field = model._meta.get_field(field_name) if "__" not in field_name else None
        except FieldDoesNotExist:  # an annotation: left as it is
            field = None
        if isinstance(field, (models.CharField, models.TextField)):
            expression = Concat(models.F(field_name), models.Value(""), output_field=models.CharField())
            ordered.append(expression.desc() if descending else expression.asc())
        else:
            ordered.append(name)
    return ordered


def filter_by_owner(request, queryset, keys=("jeune", "entreprise")):
    """``?jeune=<id>`` / ``?entreprise=<id>``: the rows of one young person or one company, for the "voir tout"
    links of a dossier or a company page. The queryset is already in scope, so an id of another organisation
    simply gives an empty list. Returns (queryset, {"key": id} or None)."""
    for key in keys:
        value = request.GET.get(key, "")
        if value.isdigit():
            return queryset.filter(**{f"{key}_id": int(value)}), {"key": key, "id": int(value)}
    return queryset, None
