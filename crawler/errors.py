"""Why a request produced no page, in the kinds the `errors` table records."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

# Fetch error kinds, as stored.
DNS = "dns"
CONNECTION = "connection"
TIMEOUT = "timeout"
HTTP = "http"  # stored as http_<status>: http_404, http_500
REDIRECT_LOOP = "redirect_loop"
TOO_LARGE = "too_large"
ROBOTS = "robots"
PARSE = "parse"
REFUSED = "refused"  # off the spider's sites, not http(s), or an internal address
STORE = "store"  # fetched, but the pipeline could not archive or save it (a full disk, a read-only database)
OTHER = "other"

# Exception class names (Scrapy 2.19 and Twisted) by kind; names, so that a renamed or missing
# class in another version does not break the import.
_BY_NAME = {
    "CannotResolveHostError": DNS,
    "DNSLookupError": DNS,
    "DownloadConnectionRefusedError": CONNECTION,
    "ConnectionRefusedError": CONNECTION,
    "ConnectError": CONNECTION,
    "ConnectionLost": CONNECTION,
    "ConnectionDone": CONNECTION,
    "DownloadFailedError": CONNECTION,
    "DownloadTimeoutError": TIMEOUT,
    "TimeoutError": TIMEOUT,
    "DownloadCancelledError": TOO_LARGE,  # the downloader cancels bodies over DOWNLOAD_MAXSIZE
    "CancelledError": TOO_LARGE,
}


def classify_failure(failure: Failure) -> tuple[str, int | None, str]:
    """(kind, HTTP status or None, one-line message) for a failed request."""
    exc = failure.value
    message = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"{HTTP}_{status}", status, f"HTTP {status}"
    if isinstance(exc, IgnoreRequest):
        if type(exc).__name__ == "RefusedRequest":
            return REFUSED, None, message
        if "robots" in message.lower():
            return ROBOTS, None, message
        if "redirect" in message.lower():
            return REDIRECT_LOOP, None, message
        return OTHER, None, message
    for cls in type(exc).__mro__:
        kind = _BY_NAME.get(cls.__name__)
        if kind:
            if kind == TOO_LARGE and "size" not in message.lower() and "maxsize" not in message:
                continue
            return kind, None, f"{type(exc).__name__}: {message}"
    return OTHER, None, f"{type(exc).__name__}: {message}"


def unreadable_line(e: Exception) -> str:
    """The one-line message of a page or attachment that cannot be read, ending in its flag where
    it has one (`password-protected PDF (password_protected)`), as the errors table records it."""
    flag = getattr(e, "flag", None)
    return f"{e} ({flag})" if flag else str(e)
