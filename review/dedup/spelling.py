"""Spelling variants that make one title look like two: Greek letters written as letters or
spelt out ("TNF-α" / "TNF-alpha"), and British against American spelling ("paediatric
haemorrhage" / "pediatric hemorrhage", "randomised" / "randomized", "tumour" / "tumor").

Both rewrite every title the same way (symmetrically), so an over-eager rule can only make
two spellings of one word equal, never two different words of real titles.
"""

from __future__ import annotations

import re

_GREEK_NAMES = re.findall(
    r"\w+",
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "sigma tau upsilon phi chi psi omega",
)
GREEK = {
    **{chr(0x3B1 + i): name for i, name in enumerate(_GREEK_NAMES[:17])},  # α..ρ
    **{chr(0x3C3 + i): name for i, name in enumerate(_GREEK_NAMES[17:])},  # σ..ω
    **{chr(0x391 + i): name for i, name in enumerate(_GREEK_NAMES[:17])},  # Α..Ρ
    **{chr(0x3A3 + i): name for i, name in enumerate(_GREEK_NAMES[17:])},  # Σ..Ω
    "\u03c2": "sigma",  # final sigma
    "\u00b5": "mu",  # micro sign
    "\u03d0": "beta",
    "\u03d1": "theta",
    "\u03d5": "phi",
}
_GREEK_TABLE = str.maketrans(GREEK)


def spell_greek(text: str) -> str:
    """Greek letters spelt out in Latin letters ("NF-κB" → "NF-kappaB")."""
    return text.translate(_GREEK_TABLE)


# (guard, pattern, replacement) on lower-case ASCII words, British → American; a rule runs
# only on titles holding its guard (a plain substring search is far cheaper than the rule)
_RULES = [
    (re.compile("|".join(guards)).search, re.compile(p), r)
    for guards, p, r in (
        (("ae",), r"\bae(?=tiol)|(?<=[a-z])ae(?=[a-z])", "e"),  # haem, paed, anaem, aetiology
        (("oe",), r"\boe(?=[a-z])|(?<=[a-z])oe(?=[a-z])", "e"),  # oesophagus, oedema, diarrhoea
        (
            ("our",),
            r"\b(tum|hum|behavi|col|lab|fav|hon|od|vap|rum|neighb|vig|rig|harb|flav|sav|"
            r"endeav|arm|ferv)our",
            r"\1or",
        ),  # tumour, behaviour(al), colour
        (
            ("ise", "isi", "isa", "iser"),
            r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations|ational|er|ers)\b",
            r"iz\1",
        ),
        (("yse", "ysi"), r"(?<=[a-z]{2})ys(e|ed|es|ing)\b", r"yz\1"),  # analyse, paralysed
        (("tre", "bre"), r"(?<=[a-z]{2})([tb])re(s?)\b", r"\1er\2"),  # centre, fibre, litre
        (("ll",), r"(?<=[a-z][aeiou])ll(ed|ing|er|ers)\b", r"l\1"),  # modelling, signalling
        (("programme",), r"\bprogramme", "program"),
        (("ageing",), r"\bageing\b", "aging"),
        (("grey",), r"\bgrey\b", "gray"),
        (("sulph",), r"sulph", "sulf"),
        (("ence",), r"\b(licen|defen|offen|preten)ce", r"\1se"),
        (("ogue",), r"(?<=[a-z]{3}og)ue(s?)\b", r"\1"),  # catalogue, dialogue, analogue
    )
]


def american(title: str) -> str:
    """A normalised (lower-case ASCII) title with British spellings made American."""
    for guard, rx, repl in _RULES:
        if guard(title):
            title = rx.sub(repl, title)
    return title
