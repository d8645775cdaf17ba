from pathlib import Path

import pytest

from ecomdwh.report.browser import BrowserError, _console_errors, view_page


def test_a_missing_chromium_names_the_install_script(tmp_path):
    with pytest.raises(BrowserError, match="scripts/install-chromium.sh"):
        view_page(tmp_path / "index.html", binary=Path("/nonexistent/chromium"))


def test_console_errors_come_from_console_calls_exceptions_and_log_entries():
    events = [
        {"method": "Runtime.consoleAPICalled", "params": {"type": "log", "args": [{"value": "fine"}]}},
        {"method": "Runtime.consoleAPICalled", "params": {"type": "error", "args": [{"value": "boom"}]}},
        {
            "method": "Runtime.exceptionThrown",
            "params": {
                "exceptionDetails": {"text": "Uncaught", "exception": {"description": "TypeError: x"}}
            },
        },
        {
            "method": "Log.entryAdded",
            "params": {"entry": {"level": "error", "source": "network", "text": "blocked"}},
        },
        {"method": "Log.entryAdded", "params": {"entry": {"level": "info", "source": "other", "text": "hi"}}},
    ]
    assert _console_errors(events) == ["boom", "TypeError: x", "network: blocked"]
