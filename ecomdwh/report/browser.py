"""Opens a built report in headless Chromium (Debian's package) and reports what a person would see:
console errors, each chart's rendered size and mark count, and a full-page screenshot.

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON messages
separated by NUL bytes on file descriptors 3 and 4), which needs no WebSocket library and no port.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "install it with `scripts/install-chromium.sh` (Debian: apt-get install -y chromium)"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)
# Reads each chart's figure: the rendered SVG's box and how many data marks it drew.
CHARTS_SCRIPT = """
[...document.querySelectorAll('figure.chart')].map(figure => {
  const chart = figure.querySelector('svg.chart-svg');
  const box = chart ? chart.getBoundingClientRect() : {width: 0, height: 0};
  return {key: figure.dataset.chart, width: box.width, height: box.height,
          marks: figure.querySelectorAll('svg .mark').length,
          empty: figure.querySelector('.empty') ? figure.querySelector('.empty').textContent : null};
})
"""


class BrowserError(RuntimeError):
    """Chromium is missing or did not answer, worded with the fix."""


@dataclass(frozen=True)
class ChartView:
    key: str
    width: float
    height: float
    marks: int
    empty: str | None


@dataclass
class PageView:
    charts: list[ChartView]
    console_errors: list[str] = field(default_factory=list)
    screenshot: bytes = b""


class _DevTools:
    """A DevTools protocol session over Chromium's debugging pipe."""

    def __init__(self, process: subprocess.Popen, to_browser: int, from_browser: int, timeout: float):
        self.process, self.to_browser, self.from_browser = process, to_browser, from_browser
        self.timeout = timeout
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.from_browser], [], [], remaining)[0]:
                raise BrowserError(f"Chromium did not answer within {self.timeout:.0f}s")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium exited (code {self.process.poll()}) while the report was open")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, session: str | None = None, **params: Any) -> None:
        self.next_id += 1
        request: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            request["sessionId"] = session
        os.write(self.to_browser, json.dumps(request).encode() + b"\0")

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self.send(method, session, **params)
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise BrowserError(f"Chromium refused {method}: {message['error'].get('message')}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str) -> None:
        deadline = time.monotonic() + self.timeout
        while not any(e.get("method") == event for e in self.events):
            self.events.append(self._read_message(deadline))


def _console_errors(events: list[dict[str, Any]]) -> list[str]:
    errors = []
    for event in events:
        params = event.get("params", {})
        if event.get("method") == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif event.get("method") == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            errors.append(details.get("exception", {}).get("description") or details.get("text", ""))
        elif event.get("method") == "Log.entryAdded" and params["entry"]["level"] == "error":
            errors.append(f"{params['entry']['source']}: {params['entry']['text']}")
    return errors


def _launch(binary: Path, profile: str) -> tuple[subprocess.Popen, int, int]:
    browser_reads, we_write = os.pipe()
    we_read, browser_writes = os.pipe()

    def wire_pipes() -> None:  # in the child: the protocol expects its ends on descriptors 3 and 4
        read_end, write_end = os.dup(browser_reads), os.dup(browser_writes)
        os.dup2(read_end, 3)
        os.dup2(write_end, 4)

    process = subprocess.Popen(
        [str(binary), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(3, 4),
        preexec_fn=wire_pipes,
    )
    os.close(browser_reads)
    os.close(browser_writes)
    return process, we_write, we_read


def view_page(page: Path, *, binary: Path = CHROMIUM, width: int = 1280, timeout: float = 60) -> PageView:
    """Loads `page` (a local file), then returns its charts, console errors and a full-page PNG."""
    if not binary.exists():
        raise BrowserError(f"{binary} is missing: {INSTALL_HINT}")
    profile = tempfile.mkdtemp(prefix="ecomdwh-chromium-")
    process, to_browser, from_browser = _launch(binary, profile)
    try:
        tools = _DevTools(process, to_browser, from_browser, timeout)
        target = tools.call("Target.createTarget", url="about:blank")["targetId"]
        session = tools.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            tools.call(f"{domain}.enable", session)
        tools.call(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=800,
            deviceScaleFactor=1,
            mobile=False,
        )
        tools.call("Page.navigate", session, url=page.resolve().as_uri())
        tools.wait_for("Page.loadEventFired")
        charts = tools.call("Runtime.evaluate", session, expression=CHARTS_SCRIPT, returnByValue=True)
        height = tools.call(
            "Runtime.evaluate",
            session,
            expression="document.documentElement.scrollHeight",
            returnByValue=True,
        )["result"]["value"]
        tools.call(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=int(height),
            deviceScaleFactor=1,
            mobile=False,
        )
        shot = tools.call("Page.captureScreenshot", session, format="png")
        tools.send("Browser.close")
        return PageView(
            charts=[ChartView(**chart) for chart in charts["result"]["value"]],
            console_errors=_console_errors(tools.events),
            screenshot=base64.b64decode(shot["data"]),
        )
    finally:
        os.close(to_browser)
        os.close(from_browser)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)
