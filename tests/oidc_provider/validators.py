from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider import identities


class ProConnectLikeValidator(OAuth2Validator):
    """The claims ProConnect sends (scope → claim), a ``sub`` and an ``amr`` / ``acr`` configurable per person."""

    oidc_claim_scope = {
        "sub": "openid",
        "idp_id": "openid",
        "amr": "openid",
        "acr": "openid",
        "email": "email",
        "given_name": "given_name",
        "usual_name": "usual_name",
        "siret": "siret",
        "uid": "uid",
    }

    def get_additional_claims(self, request):
        user = request.user
        person = identities.load().get(user.get_username(), {})
        claims = {
            "sub": person.get("sub") or f"sub-{user.pk}",
            "idp_id": "fi-de-test",
            "email": person.get("email", user.email),
            "given_name": person.get("given_name", ""),
            "usual_name": person.get("usual_name", ""),
            "siret": person.get("siret", "13002526500013"),
            "uid": str(user.pk),
        }
        if person.get("amr"):
            claims["amr"] = list(person["amr"])
        if person.get("acr"):
            claims["acr"] = person["acr"]
        return claims
