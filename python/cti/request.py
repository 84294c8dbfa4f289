# SPDX-License-Identifier: LGPL-2.1-or-later
"""Request: one asynchronous libcti request and its reply.

Every request method of Session, Line and Call sends at once (as libcti
does) and returns a Request. Its result is taken either blocking, with
wait(timeout), or from asyncio with `await request`; both give the same
value (the Call a MAKE_CALL created, the items of a list request, or
None) or raise the CtiError carrying the errno ctid answered.
"""
from __future__ import annotations

import errno
from typing import (TYPE_CHECKING, Any, Callable, Generator, Generic,
                    Optional, Protocol, TypeVar)

from .errors import CtiError, error

if TYPE_CHECKING:
    from .session import Session

T = TypeVar("T")
_PENDING = object()


class Request(Generic[T]):
    """A request sent to ctid: .id is libcti's request id, .name the
    operation ("make_call"). The result is computed once and kept."""

    def __init__(self, session: "Session", req_id: int, name: str,
                 convert: Callable[[int], T]) -> None:
        self.session = session
        self.id = req_id
        self.name = name
        self._convert = convert
        self._result: Any = _PENDING
        self._error: Optional[CtiError] = None

    @property
    def done(self) -> bool:
        """Whether the reply has been taken (by wait() or await)."""
        return self._result is not _PENDING or self._error is not None

    def _complete(self, err: int, call: int) -> T:
        if err:
            self._error = error(err, self.name, self.id)
        else:
            self._result = self._convert(call)
        return self.result()

    def result(self) -> T:
        """The result of a completed request (or its CtiError)."""
        if self._error is not None:
            raise self._error
        if self._result is _PENDING:
            raise error(errno.EAGAIN, self.name + ": not completed", self.id)
        return self._result

    def wait(self, timeout: Optional[float] = None) -> T:
        """Block until the reply (at most @timeout seconds; None: as long
        as it takes, which ctid's request_timeout bounds). Raises
        CtiTimeoutError if it has not come: the request stays pending and
        may be waited for again."""
        if self.done:
            return self.result()
        err, call = self.session._wait_reply(self.id, self.name, timeout)
        return self._complete(err, call)

    def __await__(self) -> Generator[Any, None, T]:
        if self.done:
            return self.result()
        err, call = yield from self.session._areply(self.id).__await__()
        return self._complete(err, call)

    def __repr__(self) -> str:
        state = "done" if self.done else "pending"
        return "<Request %s id=%d %s>" % (self.name, self.id, state)


class Openable(Protocol):
    """What OpenRequest opens and closes: a Line or a Phone."""

    session: "Session"

    @property
    def removed(self) -> bool: ...

    def close(self) -> Request[None]: ...


O = TypeVar("O", bound=Openable)


class OpenRequest(Request[None], Generic[O]):
    """The request of Line.open() and Phone.open(); as a context manager
    it waits for the reply (raising its CtiError) and closes what it
    opened on the way out. .target is the Line or Phone."""

    def __init__(self, target: O, req_id: int, name: str) -> None:
        super().__init__(target.session, req_id, name,
                         lambda h: None)
        self.target = target

    @property
    def line(self) -> O:
        """The target (the name from when only lines were opened)."""
        return self.target

    def __enter__(self) -> O:
        self.wait()
        return self.target

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        req = self._close(exc_type)
        if req is not None:
            try:
                req.wait()
            except OSError:
                if exc_type is None:
                    raise

    def _close(self, exc_type: Any) -> Optional[Request[None]]:
        """Send the close, unless the session or target is gone; errors
        are raised only when they would not hide the block's own."""
        if self.session.closed or self.target.removed:
            return None
        try:
            return self.target.close()
        except OSError:
            if exc_type is None:
                raise
            return None

    async def __aenter__(self) -> O:
        await self
        return self.target

    async def __aexit__(self, exc_type: Any, *exc: Any) -> None:
        req = self._close(exc_type)
        if req is not None:
            try:
                await req
            except OSError:
                if exc_type is None:
                    raise
