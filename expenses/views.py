"""The ledger pages (coordination only: other roles 403, other organisations 404).

Every page starts from the operation fetched in scope (``get_for_request_or_404``); its rows are read through
``for_request`` or the operation's related managers. ``Record.DEPENSES`` in the role table says who reads and writes.
"""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from core.permissions import Record, read_required, write_required
from core.shortcuts import get_for_request_or_404
from core.uploads import protected_file_response
from expenses import finance, importer
from expenses.forms import DepenseForm, FeuilleTempsForm, ImportForm, RessourceRecueForm, SalarieForm
from expenses.models import Depense, FeuilleTemps, Poste, RessourceRecue
from expenses.services import depense_save, feuille_temps_save, ressource_recue_save
from funding.models import Operation


PAGE_SIZE = 50
IMPORT_ERRORS_SESSION_KEY = "expenses_import_errors"


def _operation_or_404(request, pk):
    return get_for_request_or_404(request, Operation.objects.select_related("organisation"), pk=pk)


def _depense_or_404(request, operation, pk):
    return get_for_request_or_404(
        request,
        Depense.objects.filter(operation=operation).select_related("ligne_budgetaire", "created_by", "feuille_temps"),
        pk=pk,
    )


def _feuille_or_404(request, operation, pk):
    return get_for_request_or_404(
        request, FeuilleTemps.objects.filter(salarie__operation=operation).select_related("salarie"), pk=pk
    )


def _period(request, operation):
    """[du, au] from the query string; default: the current year within the convention."""
    today = timezone.localdate()
    year = min(max(today.year, operation.date_debut.year), operation.date_fin.year)
    du, au = date(year, 1, 1), date(year, 12, 31)
    try:
        if request.GET.get("du"):
            du = date.fromisoformat(request.GET["du"])
        if request.GET.get("au"):
            au = date.fromisoformat(request.GET["au"])
    except ValueError:
        messages.error(request, "Période invalide : dates attendues au format AAAA-MM-JJ.")
    if au < du:
        du, au = au, du
    return du, au


@read_required(Record.DEPENSES)
def depense_list(request, pk):
    operation = _operation_or_404(request, pk)
    depenses = (
        Depense.objects.for_request(request)
        .filter(operation=operation)
        .select_related("created_by", "ligne_budgetaire")
        .order_by("-date", "-pk")
    )
    poste = request.GET.get("poste", "")
    statut = request.GET.get("statut", "")
    search = request.GET.get("q", "").strip()
    if poste in Poste.values:
        depenses = depenses.filter(poste=poste)
    if statut == "non_acquittee":
        depenses = depenses.filter(date_paiement__isnull=True)
    elif statut == "acquittee":
        depenses = depenses.filter(date_paiement__isnull=False)
    elif statut == "sans_justificatif":
        depenses = depenses.filter(justificatif="")
    if search:
        depenses = depenses.filter(
            Q(reference__icontains=search) | Q(libelle__icontains=search) | Q(beneficiaire__icontains=search)
        )
    totals = depenses.aggregate(
        acquitte=Sum("montant", filter=Q(date_paiement__isnull=False)),
        non_acquitte=Sum("montant", filter=Q(date_paiement__isnull=True)),
    )
    page = Paginator(depenses, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("poste", poste), ("statut", statut), ("q", search)) if v})
    return render(
        request,
        "expenses/depense_list.html",
        {
            "operation": operation,
            "page": page,
            "query": query,
            "postes": Poste.choices,
            "filters": {"poste": poste, "statut": statut, "q": search},
            "totals": totals,
        },
    )


@write_required(Record.DEPENSES)
def depense_create(request, pk):
    operation = _operation_or_404(request, pk)
    form = DepenseForm(request.POST or None, request.FILES or None, operation=operation, request=request)
    if request.method == "POST" and form.is_valid():
        depense = form.save(commit=False)
        depense.operation = operation
        depense_save(depense=depense, user=request.user)
        messages.success(request, f"Dépense « {depense.libelle} » enregistrée.")
        return redirect("expenses:depense_list", pk=operation.pk)
    return render(request, "expenses/form.html", {"operation": operation, "form": form, "title": "Nouvelle dépense"})


@write_required(Record.DEPENSES)
def depense_detail(request, pk, depense_pk):
    operation = _operation_or_404(request, pk)
    depense = _depense_or_404(request, operation, depense_pk)
    form = DepenseForm(
        request.POST or None, request.FILES or None, instance=depense, operation=operation, request=request
    )
    if request.method == "POST" and form.is_valid():
        depense_save(depense=form.save(commit=False), user=request.user, reason="Correction dans Tremplin")
        messages.success(request, "Dépense corrigée ; la version précédente reste dans l'historique.")
        return redirect("expenses:depense_detail", pk=operation.pk, depense_pk=depense.pk)
    history = list(depense.history.select_related("history_user").order_by("-history_date", "-history_id")[:50])
    changes = []
    for newer, older in zip(history, [*history[1:], None], strict=True):
        delta = newer.diff_against(older).changes if older is not None else []
        changes.append({"record": newer, "changes": delta})
    return render(
        request,
        "expenses/depense_detail.html",
        {"operation": operation, "depense": depense, "form": form, "changes": changes},
    )


@read_required(Record.DEPENSES)
def depense_justificatif(request, pk, depense_pk):
    operation = _operation_or_404(request, pk)
    depense = _depense_or_404(request, operation, depense_pk)
    return protected_file_response(depense.justificatif, as_attachment=False)


@write_required(Record.DEPENSES)
def depense_import(request, pk):
    operation = _operation_or_404(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fichier"]
        try:
            result = importer.import_depenses(
                upload, operation, user=request.user, dry_run=form.cleaned_data["dry_run"], name=upload.name
            )
        except importer.ImportFileError as exc:
            form.add_error("fichier", str(exc))
        else:
            if result.errors:
                request.session[IMPORT_ERRORS_SESSION_KEY] = {
                    "operation": operation.pk,
                    "errors": [[e.line, e.column, e.message] for e in result.errors[:5000]],
                }
                messages.error(request, f"Import refusé : {len(result.errors)} problème(s), rien n'a été écrit.")
            elif form.cleaned_data["dry_run"]:
                messages.info(
                    request, f"Vérification réussie : {len(result.rows)} ligne(s) valide(s), rien n'a été écrit."
                )
            else:
                messages.success(
                    request,
                    f"Import terminé : {result.created} dépense(s) créée(s), {result.updated} mise(s) à jour, "
                    f"{result.unchanged} inchangée(s).",
                )
                return redirect("expenses:depense_list", pk=operation.pk)
    return render(
        request,
        "expenses/depense_import.html",
        {
            "operation": operation,
            "form": form,
            "result": result,
            "errors": result.errors[:200] if result else [],
            "columns": importer.COLUMNS,
            "postes": Poste.values,
        },
    )


@read_required(Record.DEPENSES)
def depense_import_errors(request, pk):
    operation = _operation_or_404(request, pk)
    stored = request.session.get(IMPORT_ERRORS_SESSION_KEY) or {}
    if stored.get("operation") != operation.pk:
        raise Http404("Aucune erreur d'import à télécharger.")
    errors = [importer.Problem(*e) for e in stored["errors"]]
    response = HttpResponse(importer.errors_csv(errors), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="erreurs-import-{operation.code}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@read_required(Record.DEPENSES)
def temps(request, pk):
    operation = _operation_or_404(request, pk)
    du, au = _period(request, operation)
    rows = finance.staff_table(operation, du, au)
    depenses = {
        d.feuille_temps_id: d
        for d in Depense.objects.for_request(request).filter(
            operation=operation, feuille_temps__in=[f for r in rows for f in r["feuilles"]]
        )
    }
    for row in rows:
        for feuille in row["feuilles"]:
            feuille.depense_cached = depenses.get(feuille.pk)
    return render(
        request,
        "expenses/temps.html",
        {
            "operation": operation,
            "rows": rows,
            "du": du,
            "au": au,
            "query": urlencode({"du": du, "au": au}),
            "total": sum((r["total"] for r in rows), finance.ZERO),
        },
    )


@write_required(Record.DEPENSES)
def salarie_create(request, pk):
    operation = _operation_or_404(request, pk)
    form = SalarieForm(request.POST or None, operation=operation)
    if request.method == "POST" and form.is_valid():
        salarie = form.save(commit=False)
        salarie.operation = operation
        salarie.save()
        messages.success(request, f"{salarie.nom} est affecté(e) à l'opération.")
        return redirect("expenses:temps", pk=operation.pk)
    return render(
        request, "expenses/form.html", {"operation": operation, "form": form, "title": "Affecter un(e) salarié(e)"}
    )


def _feuille_form(request, operation, feuille=None):
    form = FeuilleTempsForm(
        request.POST or None, request.FILES or None, instance=feuille, operation=operation, request=request
    )
    if request.method == "POST" and form.is_valid():
        feuille = form.save(commit=False)
        depense = feuille_temps_save(
            feuille=feuille,
            user=request.user,
            date_paiement=form.cleaned_data.get("date_paiement"),
            reason="Saisie dans Tremplin" if form.instance.pk is None else "Correction dans Tremplin",
        )
        flag = " Attention : plus de 100 % du temps travaillé." if feuille.depasse else ""
        messages.success(request, f"Feuille de temps enregistrée : coût éligible {depense.montant} €.{flag}")
        return redirect(reverse("expenses:temps", args=[operation.pk]) + "?" + urlencode(_year_of(feuille.mois)))
    title = f"Feuille de temps — {feuille.salarie}, {feuille.mois:%m/%Y}" if feuille else "Nouvelle feuille de temps"
    return render(
        request, "expenses/form.html", {"operation": operation, "form": form, "title": title, "feuille": feuille}
    )


def _year_of(month):
    return {"du": date(month.year, 1, 1), "au": date(month.year, 12, 31)}


@write_required(Record.DEPENSES)
def feuille_create(request, pk):
    operation = _operation_or_404(request, pk)
    return _feuille_form(request, operation)


@write_required(Record.DEPENSES)
def feuille_edit(request, pk, feuille_pk):
    operation = _operation_or_404(request, pk)
    return _feuille_form(request, operation, _feuille_or_404(request, operation, feuille_pk))


@read_required(Record.DEPENSES)
def feuille_scan(request, pk, feuille_pk):
    operation = _operation_or_404(request, pk)
    feuille = _feuille_or_404(request, operation, feuille_pk)
    return protected_file_response(feuille.scan_signe, as_attachment=False)


@read_required(Record.DEPENSES)
def feuille_print(request, pk, feuille_pk):
    operation = _operation_or_404(request, pk)
    feuille = _feuille_or_404(request, operation, feuille_pk)
    return render(request, "expenses/feuille_print.html", {"operation": operation, "feuille": feuille})


@write_required(Record.DEPENSES)
def ressource_list(request, pk):
    operation = _operation_or_404(request, pk)
    form = RessourceRecueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ressource = form.save(commit=False)
        ressource.operation = operation
        ressource_recue_save(ressource=ressource, user=request.user)
        messages.success(request, "Ressource reçue enregistrée.")
        return redirect("expenses:ressource_list", pk=operation.pk)
    ressources = RessourceRecue.objects.for_request(request).filter(operation=operation).order_by("-date_reception")
    page = Paginator(ressources, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "expenses/ressource_list.html",
        {"operation": operation, "page": page, "form": form, "total": ressources.aggregate(s=Sum("montant"))["s"]},
    )
