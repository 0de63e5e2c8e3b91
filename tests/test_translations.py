"""Every string a shopper (or an editor, or a merchandiser on our dashboard pages)
can be shown has a Simplified Chinese translation, and the catalogs compile.

A string counts as translated when Django, with zh-hans active, answers it with
Chinese text: from our catalog (locale/), our corrections to the packages'
(locale_vendor/), or Django's, Oscar's and Wagtail's own. Untranslated and fuzzy
entries are not compiled, so they fail here; so does a package's translation that
is really English (Oscar's zh_Hans has some)."""

import ast
import gettext
import io
import re
import shutil
import subprocess
import tokenize
from pathlib import Path

import oscar
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize
from wagtail.blocks import ListBlock

ROOT = Path(settings.BASE_DIR)
CATALOGS = [
    ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po",
    ROOT / "locale_vendor" / "zh_Hans" / "LC_MESSAGES" / "django.po",
]
OSCAR_TEMPLATES = Path(oscar.__file__).parent / "templates"
# Oscar's own templates that shoppers and merchandisers reach (ours override some;
# those are checked as ours).
OSCAR_TEMPLATE_DIRS = [
    "oscar/basket",
    "oscar/catalogue",
    "oscar/checkout",
    "oscar/communication/emails",
    "oscar/customer",
    "oscar/dashboard",
    "oscar/offer",
    "oscar/order",
    "oscar/partials",
    "oscar/registration",
    "oscar/search",
    "oscar/wishlists",
]
# Every package of the site (the load-test tool and the tests aside).
PYTHON_PACKAGES = sorted(
    path.parent.name
    for path in ROOT.glob("*/__init__.py")
    if path.parent.name not in ("bench", "tests")
)
# Oscar's modules whose messages and form errors reach shoppers.
OSCAR_SHOPPER_MODULES = [
    "basket/forms.py",
    "basket/middleware.py",
    "basket/utils.py",
    "basket/views.py",
    "catalogue/reviews/forms.py",
    "catalogue/reviews/views.py",
    "catalogue/views.py",
    "checkout/forms.py",
    "checkout/mixins.py",
    "checkout/session.py",
    "checkout/views.py",
    "customer/alerts/views.py",
    "customer/forms.py",
    "customer/views.py",
    "customer/wishlists/views.py",
    "offer/views.py",
    "search/forms.py",
    "wishlists/forms.py",
    "wishlists/views.py",
]
# Strings that read the same in Chinese (a placeholder in quotes).
SAME_IN_CHINESE = {"“%(query)s”"}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
ARGUMENTS = {"gettext": 1, "gettext_lazy": 1, "_": 1, "gettext_noop": 1}
ARGUMENTS |= {"pgettext": 2, "pgettext_lazy": 2, "ngettext": 2}
ARGUMENTS |= {"ngettext_lazy": 2, "npgettext": 3, "npgettext_lazy": 3}


def _calls(source: str):
    """(function, literal arguments) of each gettext-family call with literal
    strings in Python source (or templatize's rendering of a template)."""
    lines = "\n".join(line.lstrip() for line in source.splitlines())
    tokens = [
        token
        for token in tokenize.generate_tokens(io.StringIO(lines).readline)
        if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)
    ]
    for i, token in enumerate(tokens[:-1]):
        wanted = ARGUMENTS.get(token.string)
        if token.type != tokenize.NAME or not wanted or tokens[i + 1].string != "(":
            continue
        if i and tokens[i - 1].string in (".", "def"):  # a method, a definition
            continue
        arguments, j = [], i + 2
        while len(arguments) < wanted and tokens[j].type == tokenize.STRING:
            literal = ""
            while tokens[j].type == tokenize.STRING:  # implicit concatenation
                literal += ast.literal_eval(tokens[j].string)
                j += 1
            arguments.append(literal)
            if tokens[j].string == ",":
                j += 1
        if len(arguments) == wanted:
            yield token.string, arguments


def _chinese(function: str, arguments: list[str]) -> str:
    with translation.override("zh-hans"):
        if function.startswith("npgettext"):
            return translation.npgettext(*arguments, 1)
        if function.startswith("ngettext"):
            return translation.ngettext(*arguments, 1)
        if function.startswith("pgettext"):
            return translation.pgettext(*arguments)
        return translation.gettext(arguments[0])


def _untranslated(source: str, where: str) -> list[str]:
    return [
        f"{where}: {arguments[-1] if 'p' in function[:2] else arguments[0]!r}"
        for function, arguments in _calls(source)
        if arguments[0] not in SAME_IN_CHINESE
        and not CJK.search(_chinese(function, arguments))
    ]


def _templates():
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in (".html", ".txt"):
            yield path, path.relative_to(ROOT)
    for folder in OSCAR_TEMPLATE_DIRS:
        for path in sorted((OSCAR_TEMPLATES / folder).rglob("*")):
            name = path.relative_to(OSCAR_TEMPLATES)
            if (
                path.suffix in (".html", ".txt")
                and not (ROOT / "templates" / name).exists()
            ):
                yield path, Path("oscar's") / name


def test_every_template_string_has_a_chinese_translation():
    missing = []
    for path, name in _templates():
        source = templatize(path.read_text(), origin=str(path))
        missing += _untranslated(source, str(name))

    assert not missing, "no zh-hans translation:\n" + "\n".join(missing)


def test_every_string_in_our_python_code_has_a_chinese_translation():
    missing = []
    for package in PYTHON_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            missing += _untranslated(path.read_text(), str(path.relative_to(ROOT)))

    assert not missing, "no zh-hans translation:\n" + "\n".join(missing)


def test_every_message_oscar_shows_shoppers_has_a_chinese_translation():
    missing = []
    for module in OSCAR_SHOPPER_MODULES:
        path = OSCAR_TEMPLATES.parent / "apps" / module
        missing += _untranslated(path.read_text(), f"oscar's {module}")

    assert not missing, "no zh-hans translation:\n" + "\n".join(missing)


def _block_texts(block, path):
    """(where, text) for each label and help text an editor reads on `block` and
    the blocks inside it (list items have no label of their own)."""
    if block.label:
        yield f"{path} label", block.label
    if getattr(block.meta, "help_text", None):
        yield f"{path} help text", block.meta.help_text
    for name, child in getattr(block, "child_blocks", {}).items():
        yield from _block_texts(child, f"{path}.{name}")
    if isinstance(block, ListBlock):
        yield from _block_texts(block.child_block, f"{path}[]")


def test_every_block_label_and_help_text_editors_read_is_in_chinese():
    from home.blocks import BodyBlock

    with translation.override("zh-hans"):
        missing = [
            f"{where}: {text!r}"
            for name, block in BodyBlock().child_blocks.items()
            for where, text in _block_texts(block, name)
            if not CJK.search(str(text))
        ]

    assert not missing, "editors see English in the block editor:\n" + "\n".join(
        missing
    )


def test_the_checker_notices_a_missing_translation():
    template = '{% load i18n %}{% trans "A sentence nobody translated" %}'

    assert _untranslated(templatize(template), "t") == [
        "t: 'A sentence nobody translated'"
    ]


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda path: path.parts[-4])
def test_the_catalog_has_chinese_plural_rules_and_no_fuzzy_entries(catalog):
    text = catalog.read_text()

    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
    assert not re.search(r"^#,.*\bfuzzy\b", text, re.M), "fuzzy entries"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="needs GNU gettext's msgfmt")
@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda path: path.parts[-4])
def test_the_catalog_compiles_and_its_mo_file_is_up_to_date(catalog, tmp_path):
    compiled = tmp_path / "django.mo"

    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(catalog)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    with compiled.open("rb") as fresh, catalog.with_suffix(".mo").open("rb") as kept:
        assert (
            gettext.GNUTranslations(kept)._catalog
            == gettext.GNUTranslations(fresh)._catalog
        ), f"run msgfmt (compilemessages): {catalog.with_suffix('.mo')} is stale"
