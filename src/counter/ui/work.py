"""Thread workers that speak the screen's language.

Textual runs a thread worker in an executor thread, which does not carry the screen's
context variables; `in_thread` binds the screen's `Voice` (see `counter.i18n`) in the
worker, so a refusal worded by a use case in the worker is in the clerk's language.
Failures go to the app's one handler (`ui.errors.WorkerErrorsToApp`), never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker

from counter.i18n import Voice, current_voice, speak_with

P = ParamSpec("P")
N = TypeVar("N", bound=DOMNode)


def _speaking(voice: Voice | None, call: Callable[[], object]) -> object:
    with speak_with(voice):
        return call()


def in_thread(
    *, group: str, exclusive: bool = False
) -> Callable[[Callable[Concatenate[N, P], object]], Callable[Concatenate[N, P], Worker[Any]]]:
    """Run the method in a thread worker of `group`, in the screen's language."""

    def decorate(
        method: Callable[Concatenate[N, P], object],
    ) -> Callable[Concatenate[N, P], Worker[Any]]:
        @wraps(method)
        def start(node: N, *args: P.args, **kwargs: P.kwargs) -> Worker[Any]:
            work = partial(method, node, *args, **kwargs)
            return node.run_worker(
                partial(_speaking, current_voice(), work),
                name=method.__name__,
                group=group,
                exclusive=exclusive,
                exit_on_error=False,
                thread=True,
            )

        return start

    return decorate
