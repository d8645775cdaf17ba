"""Keeps the emulator's state across restarts: a pickled snapshot of every moto backend in use.

moto keeps everything in memory. On a graceful stop, and every few seconds after a write, the
backends are pickled per (service, account, region) into one file under the state directory (a
snapshot copies every S3 object's bytes and holds the GIL, so while data is being written the
snapshots are spaced to keep them to a tenth of the time);
on start they are restored before the first request. A backend that cannot be pickled is named
in the log and skipped rather than failing the whole snapshot.
"""

from __future__ import annotations

import copyreg
import logging
import os
import pickle
import threading
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from moto.backends import get_backend
from moto.core.base_backend import BackendDict

log = logging.getLogger("emulation.persistence")

SNAPSHOT_NAME = "moto-state.pickle"


def _load_private_key(pem: bytes) -> Any:
    return serialization.load_pem_private_key(pem, password=None)


def _reduce_private_key(key: Any) -> tuple[Any, tuple[bytes]]:
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return _load_private_key, (pem,)


def _register_key_reducers() -> None:
    # KMS keys hold cryptography private keys, which have no pickle support of their own.
    for key in (rsa.generate_private_key(65537, 2048), ec.generate_private_key(ec.SECP256R1())):
        copyreg.pickle(type(key), _reduce_private_key)


# moto files Redshift Data's backends under the service name "redshift" (for its region list), which
# would make them overwrite Redshift's own in the snapshot; name them as get_backend() knows them.
# Step Functions has two backends under "stepfunctions": moto's own and the parser that executes state
# machines (what the emulator serves); restored under one name, the parser's replaced moto's and every
# Step Functions request failed after a restart. Each gets its own name and comes back into its own dict.
SNAPSHOT_NAMES = {
    "RedshiftDataAPIServiceBackend": "redshift-data",
    "StepFunctionsParserBackend": "stepfunctions-parser",
}


def _backend_dict(service: str) -> BackendDict:
    if service == "stepfunctions-parser":
        from moto.stepfunctions.parser.models import stepfunctions_parser_backends

        return stepfunctions_parser_backends
    return get_backend(service)


def _snapshot_name(backend_dict: BackendDict) -> str:
    return SNAPSHOT_NAMES.get(backend_dict.backend.__name__, backend_dict.service_name)


def _backends_in_use() -> list[BackendDict]:
    return list(BackendDict._instances)


def take_snapshot() -> dict[str, dict[tuple[str, str], bytes]]:
    snapshot: dict[str, dict[tuple[str, str], bytes]] = {}
    for backend_dict in _backends_in_use():
        service = _snapshot_name(backend_dict)
        for account_id, region, backend in list(backend_dict.iter_backends()):
            try:
                blob = pickle.dumps(backend, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # noqa: BLE001 - any unpicklable member: skip this backend only
                log.warning("not persisted: %s/%s/%s (%s)", service, account_id, region, exc)
                continue
            snapshot.setdefault(service, {})[(account_id, region)] = blob
    return snapshot


def restore_snapshot(snapshot: dict[str, dict[tuple[str, str], bytes]]) -> int:
    restored = 0
    for service, backends in snapshot.items():
        backend_dict = _backend_dict(service)
        for (account_id, region), blob in backends.items():
            try:
                backend = pickle.loads(blob)  # noqa: S301 - our own file, written by this process
            except Exception as exc:  # noqa: BLE001
                log.warning("not restored: %s/%s/%s (%s)", service, account_id, region, exc)
                continue
            dict.__setitem__(backend_dict[account_id], region, backend)
            restored += 1
    return restored


class StatePersister:
    """Snapshots the backends to `<state_dir>/moto-state.pickle` on demand and after writes."""

    # Wait between background snapshots, in multiples of the last snapshot's duration.
    SPACING = 9.0

    def __init__(self, state_dir: Path, interval_seconds: float = 5.0) -> None:
        self.path = state_dir / SNAPSHOT_NAME
        self.interval_seconds = interval_seconds
        self._last_save_seconds = 0.0
        self._dirty = threading.Event()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        _register_key_reducers()

    def load(self) -> int:
        if not self.path.exists():
            return 0
        with self.path.open("rb") as handle:
            snapshot = pickle.load(handle)  # noqa: S301 - our own file
        return restore_snapshot(snapshot)

    def mark_dirty(self) -> None:
        self._dirty.set()

    def save(self) -> None:
        started = time.monotonic()
        with self._lock:
            self._dirty.clear()
            for attempt in range(3):
                try:
                    snapshot = take_snapshot()
                    break
                except RuntimeError:  # a request changed a backend while we iterated it
                    time.sleep(0.05 * (attempt + 1))
            else:
                self._dirty.set()
                return
            tmp = self.path.with_suffix(".tmp")
            with tmp.open("wb") as handle:
                pickle.dump(snapshot, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        self._last_save_seconds = time.monotonic() - started

    def run_background(self) -> threading.Thread:
        def loop() -> None:
            while not self._stopped.wait(max(self.interval_seconds, self.SPACING * self._last_save_seconds)):
                if self._dirty.is_set():
                    self.save()

        thread = threading.Thread(target=loop, name="state-persister", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stopped.set()
        self.save()
