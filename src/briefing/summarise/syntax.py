"""Names for the parts of a dependency parse that several compression rules share."""

from __future__ import annotations

# The dependency labels of a clause's subject (ClearNLP labels, as spaCy's English pipelines
# use); "expl" is the "there" of "there is".
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# Words after which a time phrase measures a span rather than stating a time: "a day after",
# "two hours later", "a year ago".
MEASURED = frozenset("after before ago later earlier".split())
