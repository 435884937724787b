"""A Python client for the StableConfigs HTTP service (docs/api.md): submit a job, wait for it with
progress, cancel it, and get each error answer as an exception of its own.

    >>> from stableconfigs.client import Client
    >>> client = Client("http://localhost:5005/")                       # doctest: +SKIP
    >>> client.solve(["a b >mon1", "a* b* >mon2", "a >mon3", "b >mon4"])  # doctest: +SKIP
    {'status': 'COMPLETE', 'configs': [...], 'count': 1, 'entropy': 3}

It needs ``requests`` (``pip install 'stableconfigs[client]'``), imported on first use so that the
library itself does not depend on it.
"""
from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Union

from .errors import SolveCancelled, SolveTimeout, TBNException
from .parsing import strip_comment

if TYPE_CHECKING:
    import requests

DEFAULT_URL = "http://localhost:5005/"
PENDING = (202, 203)
LONG_POLL = 10.0  # seconds one GET /status may wait on a server that supports ?wait=
TokenInput = Union[str, Iterable[str], Iterable[Iterable[str]]]


class ServiceError(Exception):
    """An error answer of the service: ``http_status``, the JSON ``body``, its ``message``."""

    def __init__(self, http_status: int, body: Mapping[str, Any] | None = None) -> None:
        self.http_status = http_status
        self.body = dict(body or {})
        self.message = str(self.body.get("message") or self.body.get("status") or f"HTTP {http_status}")
        Exception.__init__(self, self.message)  # not super(): TimedOut's other base has its own arguments

    def __str__(self) -> str:
        return self.message


class BadRequest(ServiceError):
    """400 from ``POST /task``: the body is not a task request (the message says what to fix)."""


class TimedOut(ServiceError, SolveTimeout):
    """400 from ``GET /status``: the job ran out of time; ``best`` and ``upper_bound`` as in SolveTimeout."""

    def __init__(self, http_status: int, body: Mapping[str, Any] | None = None) -> None:
        ServiceError.__init__(self, http_status, body)
        self.best, self.upper_bound = self.body.get("best"), self.body.get("upper_bound")
        self.seconds, self.count = 0.0, 1


class TBNError(ServiceError, TBNException):
    """401: an error in the TBN or constraints, or an unreachable ``init_k`` (the message names it)."""


class Cancelled(TBNError, SolveCancelled):
    """401 for a job that was terminated: "Early Termination at count [c] min polymers [k]."."""

    def __init__(self, http_status: int, body: Mapping[str, Any] | None = None) -> None:
        TBNError.__init__(self, http_status, body)
        found = re.search(r"count \[(\d+)\] min polymers \[(\d+)\]", self.message)
        self.count, self.k = (int(found[1]), int(found[2])) if found else (0, 0)
        self.best, self.upper_bound = None, None


class JobFailed(ServiceError):
    """402: the job failed for a reason the input did not cause (e.g. its worker process died)."""


class Forbidden(ServiceError):
    """403: the service wants an API key (``Client(url, api_key=...)``) and got none or another."""


class NotFound(ServiceError):
    """404: the id was never submitted, or its result expired."""


class PayloadTooLarge(ServiceError):
    """413: the request body is larger than the service accepts."""


class RateLimited(ServiceError):
    """429: too many submissions; ``retry_after`` seconds to wait."""

    retry_after: float = 0.0


class Unavailable(ServiceError):
    """503: the queue is full or Redis is down; ``retry_after`` seconds to wait."""

    retry_after: float = 0.0


class WaitTimeout(TimeoutError):
    """``wait`` gave up before the job finished; ``last`` is the last progress seen."""

    def __init__(self, task_id: str, seconds: float, last: JobStatus) -> None:
        super().__init__(f"job {task_id} not finished after {seconds:g} s "
                         f"(configuration {last.count}, trying k = {last.k})")
        self.task_id, self.last = task_id, last


ERRORS: dict[int, type[ServiceError]] = {400: BadRequest, 401: TBNError, 402: JobFailed, 403: Forbidden,
                                         404: NotFound, 413: PayloadTooLarge, 429: RateLimited,
                                         503: Unavailable}


def error_for(http_status: int, body: Mapping[str, Any] | None, headers: Mapping[str, str] | None = None,
              job: bool = False) -> ServiceError:
    """The exception for an error answer; ``job`` marks a ``GET /status`` answer (400 is then a time-out)."""
    body = dict(body or {})
    cls = ERRORS.get(http_status, ServiceError)
    if job and http_status == 400:
        cls = TimedOut
    elif http_status == 401 and str(body.get("message", "")).startswith("Early Termination"):
        cls = Cancelled
    error = cls(http_status, body)
    if isinstance(error, (RateLimited, Unavailable)):
        try:
            error.retry_after = float((headers or {}).get("Retry-After", 0))
        except ValueError:
            pass
    return error


@dataclass(frozen=True)
class JobStatus:
    """One ``GET /status`` answer that is not an error: 200 (``result``) or 202/203 (progress)."""

    http_status: int
    body: dict[str, Any]

    @property
    def done(self) -> bool:
        return self.http_status not in PENDING

    @property
    def count(self) -> int:
        """The configuration being computed (1-based; 0 while queued); for a result, how many came back."""
        return int(self.body.get("count") or 0)

    @property
    def k(self) -> int:
        """The polymer count being tried (0 while queued)."""
        return int(self.body.get("k") or 0)


def monomer_tokens(tbn: TokenInput) -> list[list[str]]:
    """The API's ``monomers`` from TBN text (a string, or its lines) or from token lists already split."""
    return _rows(tbn)


def constraint_tokens(constraints: TokenInput | None) -> list[list[str]]:
    """The API's ``constraints`` from constraints text (a string, or its lines) or token lists."""
    return _rows(constraints or [])


def _rows(value: TokenInput) -> list[list[str]]:
    lines = value.splitlines() if isinstance(value, str) else list(value)
    rows = []
    for line in lines:
        if isinstance(line, str):
            tokens = strip_comment(line).split()
            if tokens:
                rows.append(tokens)
        else:
            rows.append([str(token) for token in line])
    return rows


def _requests() -> Any:
    try:
        import requests
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("stableconfigs.client needs the 'requests' package: "
                          "pip install 'stableconfigs[client]'") from None
    return requests


class Client:
    """The service at ``url``; ``api_key`` is sent as ``X-API-Key``; ``timeout`` bounds each request."""

    def __init__(self, url: str = DEFAULT_URL, api_key: str | None = None, timeout: float = 30.0,
                 session: requests.Session | None = None) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self.timeout = timeout
        self.session = session or _requests().Session()
        if api_key:
            self.session.headers["X-API-Key"] = api_key

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One HTTP request to ``path`` (relative to the URL), answered as is: no status is an error."""
        kwargs.setdefault("timeout", self.timeout)
        return self.session.request(method, self.url + path.lstrip("/"), **kwargs)

    def _json(self, response: requests.Response, job: bool = False) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = {"status": "HTTP", "message": f"HTTP {response.status_code}: {response.text[:200]}"}
        if response.status_code >= 400:
            raise error_for(response.status_code, body, response.headers, job=job)
        return body

    def body(self, tbn: TokenInput | Mapping[str, Any], constraints: TokenInput | None = None, gen: int = 1,
             init_k: int = 1, listing: Mapping[str, Any] | None = None,
             energy: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The ``POST /task`` body; a mapping ``tbn`` is taken as a whole body already. ``listing``: the
        API's listing fields (``all``, ``within``, ``min_polymers``, ...; docs/api.md), for a listing;
        ``energy``: its energy fields (``bond_weight``, ``min_energy``, ``max_energy``)."""
        if isinstance(tbn, Mapping):
            return dict(tbn)
        return {"monomers": monomer_tokens(tbn), "constraints": constraint_tokens(constraints),
                "gen": gen, "init_k": init_k, **(listing or {}), **(energy or {})}

    def submit(self, tbn: TokenInput | Mapping[str, Any], constraints: TokenInput | None = None, gen: int = 1,
               init_k: int = 1, listing: Mapping[str, Any] | None = None,
               energy: Mapping[str, Any] | None = None) -> str:
        """Queue a job; return its id. ``tbn``: TBN text, its lines, token lists, or a whole request body."""
        body = self.body(tbn, constraints, gen, init_k, listing, energy)
        return self._json(self.request("POST", "task", json=body))["task_id"]

    def status(self, task_id: str, wait: float = 0) -> JobStatus:
        """The job's state: done (200) or progress (202/203); an error answer raises its exception.
        ``wait`` > 0 asks a server that supports it to hold the answer until the job changes."""
        params = {"wait": f"{wait:g}"} if wait > 0 else None
        timeout = self.timeout + wait
        response = self.request("GET", f"status/{task_id}", params=params, timeout=timeout)
        return JobStatus(response.status_code, self._json(response, job=True))

    def wait(self, task_id: str, timeout: float | None = None,
             on_progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
        """The job's result once it is done; its error answer raised as an exception; ``on_progress(count,
        k)`` on each new progress. Long-polls where the server supports it, else polls with backoff;
        past ``timeout`` seconds raises WaitTimeout (the job keeps running)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        pause, seen = 0.02, None
        while True:
            remaining = LONG_POLL if deadline is None else max(0.0, min(LONG_POLL, deadline - time.monotonic()))
            asked = time.monotonic()
            state = self.status(task_id, wait=remaining)
            if state.done:
                return state.body
            moved, seen = (state.count, state.k) != seen, (state.count, state.k)
            if on_progress is not None and moved:
                on_progress(state.count, state.k)
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                raise WaitTimeout(task_id, timeout or 0.0, state)
            if now - asked < remaining / 2 and not moved:  # answered at once, unchanged: no long poll here
                time.sleep(pause if deadline is None else min(pause, max(0.0, deadline - now)))
                pause = min(0.5, pause * 1.5)

    def cancel(self, task_id: str) -> dict[str, Any]:
        """``DELETE /terminate/<id>``: the job stops; ``wait`` then raises Cancelled (or returns the
        result, if it had finished)."""
        return self._json(self.request("DELETE", f"terminate/{task_id}"))

    def health(self) -> dict[str, Any]:
        """``GET /health``'s report (a 503 report is returned too: it says what is missing)."""
        response = self.request("GET", "health")
        if response.status_code == 503 and "workers" in response.text:
            return response.json()
        return self._json(response)

    def solve(self, tbn: TokenInput | Mapping[str, Any], constraints: TokenInput | None = None, gen: int = 1,
              init_k: int = 1, timeout: float | None = None,
              on_progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
        """Submit and wait: the result (``{"status": "COMPLETE", "configs": [...], ...}``)."""
        return self.wait(self.submit(tbn, constraints, gen, init_k), timeout, on_progress)

    def check(self, tbn: TokenInput, config: Any, timeout: float | None = None,
              on_progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
        """Judge a proposed configuration of ``tbn`` on the service (the API's ``check`` field, docs/check.md):
        ``config`` is its text or JSON; returns the verdict (``valid``, ``saturated``, ``stable``, ...)."""
        return self.wait(self.submit({"monomers": monomer_tokens(tbn), "check": config}), timeout,
                         on_progress)["check"]


@dataclass(frozen=True)
class RemoteConfiguration:
    """A configuration of a service's result, with the attributes the CLI prints (as Configuration)."""

    polymers: list
    polymers_count: int
    energy: int | float | None = None  # the energy engine's answers only

    def to_json(self) -> dict[str, Any]:
        energy = {} if self.energy is None else {"energy": self.energy}
        return {"polymers": self.polymers, "polymers_count": self.polymers_count, **energy}


@dataclass(frozen=True)
class RemoteResult:
    """A service's result shaped like :class:`stableconfigs.Result` (entropy, configs, constrained)."""

    entropy: int
    configs: tuple[RemoteConfiguration, ...]
    constrained: bool
    body: dict[str, Any]
    complete: bool = True  # a listing's: whether every configuration asked for is in it
    energy: int | float | None = None  # the energy engine's: the least energy

    def to_json(self) -> dict[str, Any]:
        return self.body


def solve_remotely(client: Client, tbn: TokenInput, constraints: TokenInput | None = None, gen: int = 1,
                   init_k: int = 1, on_progress: Callable[[int, int], None] | None = None,
                   should_cancel: Callable[[], bool] | None = None, time_limit: float | None = None,
                   listing: Mapping[str, Any] | None = None,
                   energy: Mapping[str, Any] | None = None) -> RemoteResult:
    """``stableconfigs.solve`` (or, with the API's ``listing`` fields, ``solve_all``) on the service, with
    the same arguments and outcomes (``energy``: the API's energy fields, as ``solve``'s keywords): TimedOut is a SolveTimeout, Cancelled a SolveCancelled, TBNError a
    TBNException, and any other failure (service unreachable, 403, 402, ...) a TBNException naming the
    service. ``should_cancel`` and ``time_limit`` are checked between status reads; either cancels the
    job on the service, and so does a KeyboardInterrupt (re-raised)."""
    with _as_library_errors(client):
        return _solve_remotely(client, tbn, constraint_tokens(constraints), gen, init_k, on_progress,
                               should_cancel, time_limit, listing, energy)


@contextlib.contextmanager
def _as_library_errors(client: Client) -> Iterator[None]:
    """A failure of the service itself (unreachable, 403, 402, ...) as a TBNException naming it; the
    job's own outcomes (TBNError, TimedOut, Cancelled) are library exceptions already."""
    try:
        yield
    except TBNException:
        raise
    except ServiceError as exc:
        raise TBNException(f"the service at {client.url} answered {exc.http_status}: {exc}") from None
    except _requests().RequestException as exc:
        raise TBNException(f"cannot reach the service at {client.url}: {exc}") from None


def _solve_remotely(client: Client, tbn: TokenInput, cons: list[list[str]], gen: int, init_k: int,
                    on_progress: Callable[[int, int], None] | None, should_cancel: Callable[[], bool] | None,
                    time_limit: float | None, listing: Mapping[str, Any] | None,
                    energy: Mapping[str, Any] | None) -> RemoteResult:
    task_id = client.submit(tbn, cons, gen, init_k, listing, energy)
    try:
        body = _follow(client, task_id, on_progress, should_cancel, time_limit)
    except KeyboardInterrupt:  # stopped at once (a second Ctrl-C): the job must not run on regardless
        _cancel_quietly(client, task_id)
        raise
    configs = tuple(RemoteConfiguration(c["polymers"], c["polymers_count"], c.get("energy"))
                    for c in body["configs"])
    return RemoteResult(body["entropy"], configs, bool(cons), body, bool(body.get("complete", True)),
                        body.get("energy"))


def check_remotely(client: Client, tbn: TokenInput, config: Any,
                   should_cancel: Callable[[], bool] | None = None,
                   time_limit: float | None = None) -> dict[str, Any]:
    """``Client.check`` with ``solve_remotely``'s outcomes: a cancel or ``time_limit`` cancels the job (then
    SolveCancelled / SolveTimeout), any failure of the service is a TBNException naming it."""
    with _as_library_errors(client):
        task_id = client.submit({"monomers": monomer_tokens(tbn), "check": config})
        try:
            return _follow(client, task_id, None, should_cancel, time_limit)["check"]
        except KeyboardInterrupt:
            _cancel_quietly(client, task_id)
            raise


def _cancel_quietly(client: Client, task_id: str) -> None:
    """Cancel the job, best effort (the caller is on its way out)."""
    try:
        client.cancel(task_id)
    except (ServiceError, _requests().RequestException):
        pass


def _follow(client: Client, task_id: str, on_progress: Callable[[int, int], None] | None,
            should_cancel: Callable[[], bool] | None, time_limit: float | None) -> dict[str, Any]:
    """The job's result body, reporting progress; cancels the job when asked to or past ``time_limit``."""
    started = time.monotonic()

    def progress(count: int, k: int) -> None:
        if on_progress is not None and k > 0:  # (0, 0) is "queued", which a local solve never reports
            on_progress(count, k)

    while True:
        try:
            body = client.wait(task_id, timeout=0.5, on_progress=progress)
            break
        except WaitTimeout as waiting:
            last = waiting.last
        if should_cancel is not None and should_cancel():
            client.cancel(task_id)
            return client.wait(task_id, timeout=30)  # raises Cancelled, unless it had just finished
        if time_limit is not None and time.monotonic() - started > time_limit:
            client.cancel(task_id)
            raise SolveTimeout(time_limit, count=max(1, last.count))
    return body
