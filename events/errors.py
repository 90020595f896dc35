"""The errors a user of the library is meant to catch, in one place.

`InputError` is the one exception `Pipeline.extract_text` raises for input it
cannot take (not a string, over the size limit, a budget run out). Whatever
else goes wrong inside an article's extraction is re-raised as an
`InputError` too, with the original chained as its cause, so a caller needs
one `except` clause and never meets a stray `OverflowError` or
`RecursionError`; `kind` says which case it was.

`InputWarning` is what the API warns with (through `warnings`) when it reads
an input but drops or guesses a part of it: a title cut to length, a
`published` date it refused. The command line prints the same messages as
"warning:" lines.
"""

from __future__ import annotations

REFUSED = "refused"  # the input breaks a stated limit or contract (size, type)
TIMEOUT = "timeout"  # the article's time budget ran out
FAILED = "failed"  # extraction raised; a bug to report, never a user's fault


class InputError(ValueError):
    """An article the pipeline cannot process; str() is one line naming the article and the problem."""

    def __init__(self, message: str, kind: str = REFUSED) -> None:
        super().__init__(" ".join(str(message).split()))
        self.kind = kind


class ArticleTimeout(InputError):
    """The article's time budget (`--article-timeout`) ran out."""

    def __init__(self, message: str) -> None:
        super().__init__(message, TIMEOUT)


class InputWarning(UserWarning):
    """Part of an input was dropped or guessed; the rest was read."""
