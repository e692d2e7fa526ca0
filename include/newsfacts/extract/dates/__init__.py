"""Extract stage, dates: date mentions in Arabic or English text, with TIMEX3 values and spans.

`extract_dates(text, lang, published)` finds explicit dates (23 أغسطس 2020, Aug. 23, 2020-08-23),
months and years with a date context (أكتوبر 2023, منذ العام 2014, in 2014), Hijri dates (converted
to Gregorian), modifiers (أواخر العام 2017 -> 2017 END) and expressions relative to the publication
date (الاثنين, last week, أكتوبر الماضي). Offsets refer to the original text. A wrong date is worse
than a missing one: words that are also names or verbs need a date context, and a four-digit number
is a year only after a date word. The vocabulary lives in lexicon/dates_<lang>.yaml; the grammar is
one regular expression per language, compiled once.
"""

from newsfacts.extract.dates.read import extract_dates

__all__ = ["extract_dates"]
