from django import forms


DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class PeriodeForm(forms.Form):
    du = forms.DateField(label="Du", widget=DATE_WIDGET, error_messages={"invalid": "Date invalide (JJ/MM/AAAA)."})
    au = forms.DateField(label="Au", widget=DATE_WIDGET, error_messages={"invalid": "Date invalide (JJ/MM/AAAA)."})

    def clean(self):
        cleaned = super().clean()
        du, au = cleaned.get("du"), cleaned.get("au")
        if du and au and au < du:
            self.add_error("au", "La fin de la période précède son début.")
        if du and au and (au - du).days > 366 * 10:
            self.add_error("au", "La période ne peut dépasser dix ans.")
        return cleaned
