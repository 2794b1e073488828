"""Sortable list columns (core.sorting): whitelisted keys, both directions, stable with pagination."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.models import Role
from core.sorting import Column, Sort
from tests.core.factories import MembershipFactory
from tests.employers.factories import EntrepriseFactory
from tests.workshops.factories import ImmersionFactory


COLUMNS = [Column("nom", "Nom", ("nom",)), Column("ville", "Commune", ("commune",)), Column("notes", "Notes")]


def sort_for(query):
    return Sort(RequestFactory().get("/liste/", query), COLUMNS, default="nom")


def test_unknown_or_unsortable_keys_fall_back_to_the_default():
    for query in ({"tri": "password"}, {"tri": "-notes"}, {"tri": "nom;drop"}, {}):
        sort = sort_for(query)
        assert (sort.key, sort.descending) == ("nom", False)


def test_header_links_toggle_the_direction_and_keep_the_filters():
    sort = sort_for({"q": "boulangerie", "page": "3", "tri": "ville"})
    nom, ville, notes = sort.columns
    assert nom == {"label": "Nom", "numeric": False, "url": "?q=boulangerie&tri=nom", "aria_sort": None}
    assert ville["url"] == "?q=boulangerie&tri=-ville"
    assert ville["aria_sort"] == "ascending"
    assert notes["url"] is None  # not sortable
    assert sort.query_with_sort == "q=boulangerie&tri=ville"
    assert sort_for({"tri": "-ville"}).columns[1]["url"] == "?tri=ville"


@pytest.mark.django_db
def test_company_list_sorts_by_each_column_both_ways(client):
    membership = MembershipFactory(role=Role.CHARGE_ENTREPRISES)
    org = membership.organisation
    a = EntrepriseFactory(organisation=org, nom="Atelier Alpha", commune="Valenciennes")
    b = EntrepriseFactory(organisation=org, nom="Boulangerie Beta", commune="Anzin")
    c = EntrepriseFactory(organisation=org, nom="Carrosserie Gamma", commune="Marly")
    ImmersionFactory(organisation=org, entreprise=b)
    client.force_login(membership.user)
    url = reverse("employers:entreprise_list")

    def order(tri):
        return [e.pk for e in client.get(url, {"tri": tri}).context["page"]]

    assert order("nom") == [a.pk, b.pk, c.pk]
    assert order("-nom") == [c.pk, b.pk, a.pk]
    assert order("commune") == [b.pk, c.pk, a.pk]
    assert order("-immersions")[0] == b.pk
    page = client.get(url, {"tri": "-nom"}).content.decode()
    assert 'aria-sort="descending"' in page
    assert "trié par ordre décroissant" in page


@pytest.mark.django_db
def test_company_page_links_to_all_its_immersions_when_cut(client):
    from employers import views

    membership = MembershipFactory(role=Role.CHARGE_ENTREPRISES)
    org = membership.organisation
    entreprise = EntrepriseFactory(organisation=org)
    other = EntrepriseFactory(organisation=org)
    ImmersionFactory(organisation=org, entreprise=other)
    for _ in range(3):
        ImmersionFactory(organisation=org, entreprise=entreprise)
    client.force_login(membership.user)
    detail = reverse("employers:entreprise_detail", args=[entreprise.pk])
    assert "Voir toutes les immersions" not in client.get(detail).content.decode()
    views.DETAIL_ROWS, saved = 2, views.DETAIL_ROWS
    try:
        page = client.get(detail).content.decode()
    finally:
        views.DETAIL_ROWS = saved
    link = f"{reverse('workshops:immersion_list')}?entreprise={entreprise.pk}"
    assert link in page
    listed = client.get(link)
    assert {i.entreprise_id for i in listed.context["page"]} == {entreprise.pk}
    assert len(listed.context["page"].object_list) == 3
    assert "Afficher toute la liste" in listed.content.decode()


@pytest.mark.django_db
def test_youth_list_sorts_by_age_both_ways_and_keeps_the_filter_in_the_links(client):
    from datetime import date

    from tests.youth.factories import JeuneFactory

    membership = MembershipFactory(role=Role.CONSEILLERE)
    org = membership.organisation
    older = JeuneFactory(organisation=org, nom="Aubert", date_naissance=date(1999, 1, 1))
    younger = JeuneFactory(organisation=org, nom="Zidane", date_naissance=date(2008, 1, 1))
    client.force_login(membership.user)
    url = reverse("youth:jeune_list")
    assert [j.pk for j in client.get(url, {"tri": "age"}).context["page"]] == [younger.pk, older.pk]
    assert [j.pk for j in client.get(url, {"tri": "-age"}).context["page"]] == [older.pk, younger.pk]
    assert [j.pk for j in client.get(url).context["page"]] == [older.pk, younger.pk]  # by name
    page = client.get(url, {"statut": "repere", "tri": "age"}).content.decode()
    assert "?statut=repere&amp;tri=-age" in page or "?statut=repere&tri=-age" in page
