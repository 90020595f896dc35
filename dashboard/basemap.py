"""The optional online basemap: where its style lives and whether it can be reached.

The dashboard works offline with country outlines shipped in the package. Only
when the user ticks "Online basemap" does anything leave the machine: the
browser fetches Carto's style and tiles, and this module asks the style's host
once (short timeout) so that a failure is said in words and the map falls back
to the offline outlines instead of going blank.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

STYLE_URL = "https://basemaps.cartocdn.com/gl/positron-gl-style/style.json"  # pydeck's carto "light"
TIMEOUT_SECONDS = 2.0


def problem(url: str = STYLE_URL, timeout: float = TIMEOUT_SECONDS) -> str | None:
    """None when the style answers, else a short reason ("no network: ...", "HTTP 503")."""
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "event-atlas-dashboard"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - fixed https URL
            return None if response.status < 400 else f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return f"cannot reach {urlsplit(url).hostname}: {reason}"
