from django import forms
from django.utils.translation import gettext_lazy as _


class WordingUploadForm(forms.Form):
    file = forms.FileField(label=_("The reworded form (.xlsx)"))
