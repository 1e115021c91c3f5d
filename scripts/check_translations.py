"""Every translatable string of the code has its Vietnamese translation, and the compiled catalogue is
current.

Django's ``makemessages`` runs on a temporary copy of the package, so the working tree is left alone;
in the refreshed Vietnamese catalogue an entry without a translation, or marked fuzzy (msgmerge's
guess from a similar string), fails the check. Then the shipped ``django.mo`` must give the same
translation as the catalogue for every entry, so a ``.po`` edited without ``msgfmt`` fails too.

    .venv/bin/python scripts/check_translations.py
"""

import gettext
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "vungcao"
CATALOGUE = Path("locale") / "vi" / "LC_MESSAGES"
# The engines and the command line are pure Python without Django's translation machinery: their texts
# are bilingual labels or English for operators.
IGNORED = ("engine/*", "commands/*")


def refreshed_catalogue(workspace: Path) -> polib.POFile:
    copy = workspace / "vungcao"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    command = [str(Path(sys.executable).parent / "django-admin"), "makemessages", "-l", "vi"]
    command += [argument for pattern in IGNORED for argument in ("--ignore", pattern)]
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vungcao.settings",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    subprocess.run(command, cwd=copy, env=environment, check=True, stdout=subprocess.DEVNULL)
    return polib.pofile(str(copy / CATALOGUE / "django.po"))


def problems(catalogue: polib.POFile, compiled: gettext.GNUTranslations) -> list[str]:
    found = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        shown = f"{entry.msgctxt} | {entry.msgid}" if entry.msgctxt else entry.msgid
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy (check the translation): {shown!r}")
        elif not entry.translated():
            found.append(f"not translated: {shown!r}")
        else:
            if entry.msgid_plural:
                expected = entry.msgstr_plural[0]
                given = (
                    compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                    if entry.msgctxt
                    else (compiled.ngettext(entry.msgid, entry.msgid_plural, 1))
                )
            else:
                expected = entry.msgstr
                given = (
                    compiled.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt
                    else compiled.gettext(entry.msgid)
                )
            if given != expected:
                found.append(f"django.mo is older than django.po (run msgfmt): {shown!r}")
    return found


def main() -> int:
    if shutil.which("xgettext") is None:
        print("check_translations: GNU gettext (xgettext, msgmerge) is not installed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="vungcao-messages-") as workspace:
        catalogue = refreshed_catalogue(Path(workspace))
    with (PACKAGE / CATALOGUE / "django.mo").open("rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    found = problems(catalogue, compiled)
    for problem in found:
        print(f"src/vungcao/{CATALOGUE}/django.po: {problem}", file=sys.stderr)
    if found:
        print(
            "Refresh the catalogue (see README, Translations), translate, then compile it with msgfmt.",
            file=sys.stderr,
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
