from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ImproperlyConfigured

from core.accounts import normalize_email
from core.models import Membership, User
from core.scope import is_scoped
from core.widgets import as_search_field, register_search, words


# --- Writes stay in scope --------------------------------------------------------------------------------------

# How to scope a model that is not case data but is picked in forms: ``rule(queryset, scope) -> queryset``.
# Apps register theirs (outreach registers Organisation: the partners of a porteur, the porteurs of a partner).
PICK_RULES = {
    User: lambda queryset, scope: queryset.filter(
        pk__in=Membership.objects.filter(organisation=scope.organisation).values("user_id")
    ),
}


def _user_label(user):
    return f"{user.get_full_name() or user.email} ({user.email})"


register_search(
    "utilisateur",
    User,
    queryset=lambda request: User.objects.all(),
    search=lambda queryset, text: words("first_name", "last_name", "email")(queryset, text).order_by(
        "last_name", "first_name", "pk"
    ),
    label=_user_label,
)


def register_pick_rule(model, rule):
    PICK_RULES[model] = rule


def scope_choices(queryset, scope):
    """``queryset`` restricted to what ``scope`` may pick; a model without a rule fails loudly."""
    model = queryset.model
    if queryset.query.is_sliced:  # a bounded list (e.g. the 200 first): keep its order and its bound
        within = model._default_manager.filter(pk__in=queryset.values("pk"))
        return scope_choices(within, scope).order_by(*queryset.query.order_by)
    if is_scoped(model):
        return queryset.for_scope(scope)
    if model in PICK_RULES:
        return PICK_RULES[model](queryset, scope)
    raise ImproperlyConfigured(
        f"{model._meta.label} n'a pas de règle de portée : un formulaire ne peut pas le proposer."
    )


class ScopedFormMixin:
    """Every model choice of the form is limited to the request's scope (one mechanism for every form).

    The form takes ``scope=`` (or ``request=``, whose scope is used). Whatever queryset a field has, the one set by
    the model or assigned later in ``__init__``, it is restricted to the scope before the form renders or validates,
    so a POST naming another organisation's id gets « Sélectionnez un choix valide » and writes nothing.
    """

    # ``{"field name": "search kind"}``: these model choice fields become search fields (``core.widgets``).
    search_fields = {}

    def __init__(self, *args, scope=None, request=None, **kwargs):
        if scope is None and request is not None:
            scope = request.scope
        if scope is None:
            raise ImproperlyConfigured(f"{type(self).__name__} a besoin de la portée de la requête (scope=…).")
        self.scope = scope
        self.request = request
        super().__init__(*args, **kwargs)
        for name, kind in self.search_fields.items():
            if name in self.fields:
                self.fields[name] = as_search_field(self.fields[name], kind)
        self._scope_choices()

    def _scope_choices(self):
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and getattr(field, "_scoped_queryset", None) is not queryset:
                field.queryset = scope_choices(queryset, self.scope)
                field._scoped_queryset = field.queryset

    def __getitem__(self, name):
        self._scope_choices()
        return super().__getitem__(name)

    def full_clean(self):
        self._scope_choices()
        return super().full_clean()


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie et réessayez.",
        "inactive": "Ce compte est désactivé. Contactez la coordination de votre structure.",
    }

    def clean_username(self):
        # The lockout counter and the account lookup see the same normalised address (core.accounts).
        return normalize_email(self.cleaned_data["username"])


class OrganisationSwitchForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)


class OTPTokenForm(forms.Form):
    code = forms.CharField(
        label="Code à usage unique",
        max_length=16,
        help_text="Les 6 chiffres affichés par votre application, ou l'un de vos codes de secours.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].replace(" ", "").strip()


class AuditFilterForm(ScopedFormMixin, forms.Form):
    vue = forms.ChoiceField(
        label="Afficher",
        choices=[("lectures", "Consultations des dossiers"), ("modifications", "Modifications")],
        required=False,
    )
    jeune = forms.IntegerField(label="Dossier n°", required=False, min_value=1)
    utilisateur = forms.ModelChoiceField(label="Utilisateur", queryset=None, required=False)
    du = forms.DateField(
        label="Du",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    au = forms.DateField(
        label="Au",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    search_fields = {"utilisateur": "utilisateur"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utilisateur"].queryset = User.objects.order_by("last_name", "first_name")
