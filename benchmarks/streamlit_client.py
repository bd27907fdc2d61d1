"""A browser tab without a browser: a headless client speaking Streamlit's protocol to a real `streamlit run app.py`.

As Streamlit's own load tests do, it opens the WebSocket `/_stcore/stream` (subprotocol `streamlit`, an Origin of
the site, the session cookie), sends `BackMsg.rerun_script` with the page, query string, widget states and, for a
fragment, its id, and reads `ForwardMsg`s until `script_finished`. It keeps what a browser keeps: the widgets on the
page (by their key), the fragments that refresh themselves (`auto_rerun`: it asks for their reruns at their interval,
as the frontend's timer does) and what went wrong (tracebacks, error messages, a page not found, a lost connection).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
}
INCIDENT_KEY = "incident-"  # hubdash.ui.runtime.guard's line for an unexpected error


@dataclass
class Widget:
    """A widget on the page: its id, and the fragment it belongs to ("" for the page)."""

    id: str
    fragment_id: str


@dataclass
class Tab:
    """One browser tab on one server: a WebSocket session and what is on its page."""

    server: str  # http://127.0.0.1:8501
    cookies: dict[str, str] = field(default_factory=dict)
    locale: str = "ja-JP"
    name: str = ""
    # called with every raw ForwardMsg received (bytes) and the time it arrived
    on_message: Callable[[Tab, bytes, float], None] | None = None
    widgets: dict[str, Widget] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    auto_reruns: dict[str, float] = field(default_factory=dict)  # fragment id -> interval in seconds
    runs: int = 0
    dropped: int = 0  # live refreshes that never finished (dropped by the server, or too slow)
    page: str = ""
    query: str = ""

    def __post_init__(self) -> None:
        self._socket: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._timers: dict[str, asyncio.Task[None]] = {}
        self._finished: asyncio.Future[int] | None = None
        self._lock = asyncio.Lock()
        self._closing = False
        self._page_hash = ""  # the script hash of the page this tab is on (from the last navigation message)

    # --- connection ---------------------------------------------------------------------------

    async def open(self, page: str, query: str = "", timeout: float = 120) -> float:
        """Connect and run the page as a browser opening its URL; the seconds until the run finished."""
        host = self.server.split("://", 1)[1]
        headers = {"Origin": self.server, "Accept-Language": self.locale}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self._socket = await websockets.connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers=headers,
            max_size=None,
            open_timeout=timeout,
            ping_interval=None,
        )
        self._reader = asyncio.create_task(self._read())
        return await self.rerun(page=page, query=query, timeout=timeout)

    async def close(self) -> None:
        """Stop the refresh timers and close the connection."""
        self._closing = True
        for timer in self._timers.values():
            timer.cancel()
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # --- runs ---------------------------------------------------------------------------------

    async def rerun(
        self,
        *,
        page: str | None = None,
        query: str | None = None,
        widgets: list[WidgetState] | None = None,
        fragment_id: str = "",
        auto: bool = False,
        timeout: float = 120,
    ) -> float:
        """Ask for a run (of the page, or of one fragment) and wait until it finished; its seconds.

        One run at a time per tab, as in a browser: a click waits for the run before it.
        """
        if page is not None and page != self.page:
            self._stop_refreshing()  # as the frontend: another page, none of this page's timers
        async with self._lock:
            if page is not None:
                self.page = page
            if query is not None:
                self.query = query
            message = BackMsg()
            state = message.rerun_script
            # as the frontend: a new page by its name, then the page it is on by its script's hash (which is
            # what keeps st.rerun() on this page rather than the default one)
            if page is not None or not self._page_hash:
                self._page_hash = ""
                state.page_name = self.page
            else:
                state.page_script_hash = self._page_hash
            state.query_string = self.query
            state.fragment_id = fragment_id
            state.is_auto_rerun = auto
            state.context_info.timezone = "Asia/Tokyo"
            state.context_info.locale = self.locale
            state.context_info.url = f"{self.server}/{self.page}" + (f"?{self.query}" if self.query else "")
            for widget in widgets or []:
                state.widget_states.widgets.append(widget)
            loop = asyncio.get_running_loop()
            self._finished = loop.create_future()
            started = time.perf_counter()
            await self._socket.send(message.SerializeToString())
            try:
                status = await asyncio.wait_for(self._finished, timeout)
            except TimeoutError:
                if auto:  # Streamlit drops a refresh asked for while a full run replaced the fragment; so may we
                    self.dropped += 1
                else:
                    self.errors.append(f"{self.name}: no end of the run of {self.page!r} within {timeout:.0f} s")
                return float("inf")
            finally:
                self._finished = None
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self.errors.append(f"{self.name}: the script of {self.page!r} did not compile")
            self.runs += 1
            return time.perf_counter() - started

    async def click(self, key: str, values: dict[str, Any] | None = None, timeout: float = 120) -> float:
        """Click the button with this key (with text typed into the widgets keyed in `values`), as a browser
        sends it: the button's trigger and the new values in one run, of the button's fragment. A dict value is
        the state of a custom component (v2), sent as JSON."""
        button = self.widgets.get(key)
        if button is None:
            self.errors.append(f"{self.name}: no button {key!r} on {self.page!r}")
            return float("inf")
        states = []
        for name, text in (values or {}).items():
            widget = self.widgets.get(name)
            if widget is None:
                self.errors.append(f"{self.name}: no field {name!r} on {self.page!r}")
                return float("inf")
            if isinstance(text, dict):
                states.append(WidgetState(id=widget.id, json_value=json.dumps(text)))
            else:
                states.append(WidgetState(id=widget.id, string_value=text))
        states.append(WidgetState(id=button.id, trigger_value=True))
        return await self.rerun(widgets=states, fragment_id=button.fragment_id, timeout=timeout)

    # --- reading ------------------------------------------------------------------------------

    async def _read(self) -> None:
        try:
            async for data in self._socket:
                arrived = time.perf_counter()
                if self.on_message is not None:
                    self.on_message(self, data, arrived)
                self._handle(data)
        except websockets.ConnectionClosed as exc:
            if not self._closing:
                self.errors.append(f"{self.name}: connection closed ({exc})")
        except Exception as exc:  # noqa: BLE001 - a message this client could not read is the benchmark's error
            self.errors.append(f"{self.name}: could not read a message: {exc!r}")
        else:
            if not self._closing:
                self.errors.append(f"{self.name}: the server closed the connection")
        finally:
            if self._finished is not None and not self._finished.done():
                self._finished.set_result(ForwardMsg.FINISHED_WITH_COMPILE_ERROR)

    def _handle(self, data: bytes) -> None:
        message = ForwardMsg()
        message.ParseFromString(data)
        kind = message.WhichOneof("type")
        if kind == "delta":
            self._delta(message)
        elif kind == "script_finished":
            if message.script_finished in FINISHED and self._finished is not None and not self._finished.done():
                self._finished.set_result(message.script_finished)
        elif kind == "auto_rerun":
            self._auto_rerun(message.auto_rerun.fragment_id, message.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fragment_id in message.stop_auto_rerun.fragment_ids:
                self.auto_reruns.pop(fragment_id, None)
                if (timer := self._timers.pop(fragment_id, None)) is not None:
                    timer.cancel()
        elif kind == "navigation":
            self._page_hash = message.navigation.page_script_hash
        elif kind == "page_not_found":
            self.errors.append(f"{self.name}: page not found: {message.page_not_found.page_name!r}")

    def _delta(self, message: ForwardMsg) -> None:
        delta = message.delta
        if delta.WhichOneof("type") == "add_block":
            block = delta.add_block
            if block.id.startswith(INCIDENT_KEY) or INCIDENT_KEY in block.id:
                self.errors.append(f"{self.name}: an unexpected error on {self.page!r}")
            return
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind is None:
            return
        if kind == "exception":
            self.errors.append(f"{self.name}: traceback on {self.page!r}: {element.exception.message[:200]}")
            return
        if kind == "alert" and element.alert.format == Alert.ERROR:
            self.errors.append(f"{self.name}: error on {self.page!r}: {element.alert.body[:200]}")
            return
        proto = getattr(element, kind)
        widget_id = getattr(proto, "id", "")
        if isinstance(widget_id, str) and widget_id.count("-") >= 2:
            key = widget_id.split("-", 2)[2]  # $$ID-<hash>-<user key>
            if key:
                self.widgets[key] = Widget(widget_id, delta.fragment_id)

    def _stop_refreshing(self) -> None:
        self.auto_reruns.clear()
        for timer in self._timers.values():
            if timer is not asyncio.current_task():
                timer.cancel()
        self._timers.clear()

    def _auto_rerun(self, fragment_id: str, interval: float) -> None:
        self.auto_reruns[fragment_id] = interval
        if fragment_id not in self._timers:
            self._timers[fragment_id] = asyncio.create_task(self._refresh(fragment_id))

    async def _refresh(self, fragment_id: str) -> None:
        # the frontend's timer: every `interval` seconds, a rerun of the fragment
        while not self._closing and fragment_id in self.auto_reruns:
            await asyncio.sleep(self.auto_reruns[fragment_id])
            if self._closing or fragment_id not in self.auto_reruns:
                return
            with contextlib.suppress(websockets.ConnectionClosed):
                interval = self.auto_reruns.get(fragment_id, 0.0)
                await self.rerun(fragment_id=fragment_id, auto=True, timeout=max(15.0, 5 * interval))
