"""The emulator process: moto's server with our gap patches and state kept across restarts.

Run by the launcher as `python -m emulation.server --host 127.0.0.1 --port 4566 --state-dir .local/emulator`.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from emulation.patches import apply_all
from emulation.persistence import StatePersister
from emulation.runtime import Runtime, set_runtime

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class DirtyTracking:
    """WSGI middleware marking the state dirty on every request that may write."""

    def __init__(self, app: Any, persister: StatePersister) -> None:
        self.app = app
        self.persister = persister

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("REQUEST_METHOD") not in READ_ONLY_METHODS:
            self.persister.mark_dirty()
        return self.app(environ, start_response)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="ecomdwh embedded AWS emulator (moto + gap patches)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566)
    parser.add_argument("--state-dir", type=Path, required=True)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    log = logging.getLogger("emulation.server")
    args.state_dir.mkdir(parents=True, exist_ok=True)
    # moto's Step Functions interpreter calls services back on localhost:$MOTO_PORT.
    os.environ["MOTO_PORT"] = str(args.port)

    set_runtime(Runtime(args.host, args.port, args.state_dir.resolve()))
    apply_all()
    persister = StatePersister(args.state_dir)
    restored = persister.load()
    log.info("restored %d backend(s) from %s", restored, persister.path)

    app = DirtyTracking(DomainDispatcherApplication(create_backend_app), persister)
    server = make_server(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)

    def shutdown(signum: int, _frame: Any) -> None:
        log.info("signal %d: saving state and stopping", signum)
        persister.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    persister.run_background()
    log.info("listening on http://%s:%d", args.host, args.port)
    server.serve_forever()


if __name__ == "__main__":
    main()
