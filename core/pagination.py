"""A paginator whose count stops at a cap: a list of 20 000 young people counts 1 000 of them, not 20 000.

The exact count of a large organisation's list is the one part of the page that grows with the data (a scan of
every row). ``CappedPaginator`` counts at most ``cap`` rows — grown to reach the page asked for, so every page stays
reachable, five pages at a time — and says ``capped`` when there are more (the page shows « plus de 1 000 »).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    capped = False

    def __init__(self, object_list, per_page, *, page=None, cap=1000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        try:
            number = max(1, int(page or 1))
        except (TypeError, ValueError):
            number = 1
        self.cap = max(cap, (number + 5) * per_page)

    @cached_property
    def count(self):
        found = self.object_list[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)
