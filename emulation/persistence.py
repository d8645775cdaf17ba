"""Keeps the emulator's state across restarts: a pickled snapshot of every moto backend in use.

moto keeps everything in memory. On a graceful stop, and every few seconds after a write, the
backends are pickled per (service, account, region) into one file under the state directory (a
snapshot holds the GIL, so while data is being written the snapshots are spaced to keep them to a
tenth of the time); on start they are restored before the first request. S3 object bodies are not
in the snapshot: each is written once, to a file of its own under `objects/` (ObjectBodies), and the
snapshot refers to it. A backend's reference to another service's backend (Redshift's to EC2, Lambda's to
CloudWatch Logs) is pickled as a reference and restored to that service's restored backend, not to a
private copy that no later request changes. A backend that cannot be pickled is named in the log and skipped rather than
failing the whole snapshot; every backend our stack uses must pickle (tests/unit/emulation/test_persistence.py).
"""

from __future__ import annotations

import copyreg
import io
import logging
import os
import pickle
import shutil
import threading
import time
import uuid
import weakref
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from moto.awslambda.models import LambdaStorage
from moto.backends import get_backend
from moto.core.base_backend import BackendDict
from moto.s3.models import FakeKey

log = logging.getLogger("emulation.persistence")

SNAPSHOT_NAME = "moto-state.pickle"
OBJECT_BODIES = "objects"


def _load_private_key(pem: bytes) -> Any:
    return serialization.load_pem_private_key(pem, password=None)


def _reduce_private_key(key: Any) -> tuple[Any, tuple[bytes]]:
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return _load_private_key, (pem,)


def _weak_value_dictionary(items: dict[Any, Any]) -> weakref.WeakValueDictionary[Any, Any]:
    return weakref.WeakValueDictionary(items)


def _reduce_weak_value_dictionary(
    mapping: weakref.WeakValueDictionary[Any, Any],
) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _weak_value_dictionary, (dict(mapping),)


def _lambda_storage(state: dict[str, Any]) -> LambdaStorage:
    storage = LambdaStorage.__new__(LambdaStorage)
    storage.__dict__.update(state, _aliases=defaultdict(dict, state["_aliases"]))
    return storage


def _reduce_lambda_storage(storage: LambdaStorage) -> tuple[Any, tuple[dict[str, Any]]]:
    # Its alias index is a defaultdict whose factory is a lambda, which does not pickle.
    return _lambda_storage, ({**storage.__dict__, "_aliases": dict(storage._aliases)},)


def _register_reducers() -> None:
    # KMS keys hold cryptography private keys, which have no pickle support of their own.
    for key in (rsa.generate_private_key(65537, 2048), ec.generate_private_key(ec.SECP256R1())):
        copyreg.pickle(type(key), _reduce_private_key)
    # Lambda's function storage holds a WeakValueDictionary (its ARN index) and a defaultdict with a lambda
    # factory (its aliases), neither of which pickles: every Lambda function was lost at a restart. The
    # index's values are functions the storage also holds strongly, so the restored index points at the
    # restored functions and they stay alive.
    copyreg.pickle(weakref.WeakValueDictionary, _reduce_weak_value_dictionary)
    copyreg.pickle(LambdaStorage, _reduce_lambda_storage)


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


class ObjectBodies:
    """S3 object bodies as files under one directory, one per object (moto makes a new key for every
    write, and never changes a key's bytes), each written the first time a snapshot meets its key.
    Pickling every body into every snapshot cost a core and rewrote gigabytes every half minute at
    1M orders."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._names: weakref.WeakKeyDictionary[FakeKey, str] = weakref.WeakKeyDictionary()

    def name_of(self, key: FakeKey) -> str:
        """The file holding `key`'s bytes, written now if this is the first time."""
        name = self._names.get(key)
        if name is None:
            name = uuid.uuid4().hex
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp = self.directory / f"{name}.tmp"
            with tmp.open("wb") as out, key.lock:
                try:
                    key._value_buffer.seek(0)
                    shutil.copyfileobj(key._value_buffer, out, 16 << 20)
                except ValueError:
                    pass  # a deleted key's buffer is closed: moto pickles it as empty too
            os.replace(tmp, self.directory / name)
            self._names[key] = name
        return name

    def read(self, name: str) -> bytes:
        return (self.directory / name).read_bytes()

    def remember(self, key: FakeKey, name: str) -> None:
        self._names[key] = name

    def keep_only(self, names: set[str]) -> None:
        """Deletes the bodies no snapshot refers to any more (deleted or overwritten objects)."""
        for path in self.directory.glob("*") if self.directory.exists() else ():
            if path.name not in names:
                path.unlink(missing_ok=True)


BackendKey = tuple[str, str, str]  # (snapshot name of its service, account, region)


def _backend_reference(service: str, account_id: str, region: str) -> Any:
    """Stands for another service's backend in a snapshot; _SnapshotUnpickler resolves it."""
    raise pickle.UnpicklingError("backend references of a snapshot are resolved by _SnapshotUnpickler")


def _restored_key(cls: type[FakeKey], state: dict[str, Any], body: str) -> FakeKey:
    """Stands for an S3 key in a snapshot; _SnapshotUnpickler restores it, as only it knows where the
    key's body file is."""
    raise pickle.UnpicklingError("S3 keys of a snapshot are restored by _SnapshotUnpickler")


class _SnapshotPickler(pickle.Pickler):
    """Pickles `root` (one backend): an S3 key as its metadata and the name of its body's file
    (ObjectBodies), any other backend as a reference to it."""

    def __init__(
        self,
        file: io.BytesIO,
        bodies: ObjectBodies,
        referenced: set[str],
        root: Any,
        backend_keys: dict[int, BackendKey],
        backend_types: set[type],
    ) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.bodies = bodies
        self.referenced = referenced
        self.root = root
        self.backend_keys = backend_keys
        # by exact type, looked up in C: a reducer_override or persistent_id would be a Python call for
        # every object pickled, which made snapshots 2.5x slower
        self.dispatch_table = {
            **copyreg.dispatch_table,
            **dict.fromkeys(backend_types, self._reduce_backend),
            FakeKey: self._reduce_key,
        }

    def _reduce_backend(self, backend: Any) -> Any:
        key = self.backend_keys.get(id(backend))
        if backend is self.root or key is None:
            return backend.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        return _backend_reference, key

    def _reduce_key(self, key: FakeKey) -> tuple[Any, ...]:
        name = self.bodies.name_of(key)
        self.referenced.add(name)
        state = {k: v for k, v in key.__dict__.items() if k not in ("_value_buffer", "lock")}
        return _restored_key, (type(key), state, name)


class _SnapshotUnpickler(pickle.Unpickler):
    def __init__(
        self, file: io.BytesIO, bodies: ObjectBodies, resolve: Callable[[str, str, str], Any]
    ) -> None:
        super().__init__(file)
        self.bodies = bodies
        self.resolve = resolve

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (__name__, _restored_key.__name__):
            return self._restored_key
        if (module, name) == (__name__, _backend_reference.__name__):
            return self.resolve
        return super().find_class(module, name)

    def _restored_key(self, cls: type[FakeKey], state: dict[str, Any], body: str) -> FakeKey:
        key = cls.__new__(cls)
        key.__setstate__({**state, "value": self.bodies.read(body)})
        self.bodies.remember(key, body)  # its file is already written: the next snapshot keeps it
        return key


def take_snapshot(bodies: ObjectBodies) -> tuple[dict[str, dict[tuple[str, str], bytes]], set[str]]:
    """Every backend pickled, and the names of the object bodies the snapshot refers to."""
    snapshot: dict[str, dict[tuple[str, str], bytes]] = {}
    referenced: set[str] = set()
    backends = {
        (_snapshot_name(backend_dict), account_id, region): backend
        for backend_dict in _backends_in_use()
        for account_id, region, backend in list(backend_dict.iter_backends())
    }
    backend_keys = {id(backend): key for key, backend in backends.items()}
    backend_types = {type(backend) for backend in backends.values()}
    for (service, account_id, region), backend in backends.items():
        buffer = io.BytesIO()
        try:
            _SnapshotPickler(buffer, bodies, referenced, backend, backend_keys, backend_types).dump(backend)
        except Exception as exc:  # noqa: BLE001 - any unpicklable member: skip this backend only
            log.warning("not persisted: %s/%s/%s (%s)", service, account_id, region, exc)
            continue
        snapshot.setdefault(service, {})[(account_id, region)] = buffer.getvalue()
    return snapshot, referenced


def restore_snapshot(snapshot: dict[str, dict[tuple[str, str], bytes]], bodies: ObjectBodies) -> int:
    """Restores every backend of `snapshot`; a backend another one refers to is restored first, so the
    reference is to the backend requests will change."""
    restored: dict[BackendKey, Any] = {}
    in_progress: set[BackendKey] = set()
    failed: set[BackendKey] = set()

    def restore(service: str, account_id: str, region: str) -> Any:
        key = (service, account_id, region)
        if key in restored:
            return restored[key]
        backend_dict = _backend_dict(service)
        blob = snapshot.get(service, {}).get((account_id, region))
        if blob is None or key in in_progress:  # not in the snapshot, or a cycle: the live backend
            return backend_dict[account_id][region]
        in_progress.add(key)
        try:
            backend = _SnapshotUnpickler(io.BytesIO(blob), bodies, restore).load()
        except Exception as exc:  # noqa: BLE001
            log.warning("not restored: %s/%s/%s (%s)", service, account_id, region, exc)
            failed.add(key)
            backend = backend_dict[account_id][region]
        else:
            dict.__setitem__(backend_dict[account_id], region, backend)
        finally:
            in_progress.discard(key)
        restored[key] = backend
        return backend

    for service, backends in snapshot.items():
        for account_id, region in backends:
            restore(service, account_id, region)
    return len(restored) - len(failed)


class StatePersister:
    """Snapshots the backends to `<state_dir>/moto-state.pickle` on demand and after writes."""

    # Wait between background snapshots, in multiples of the last snapshot's duration.
    SPACING = 9.0

    def __init__(self, state_dir: Path, interval_seconds: float = 5.0) -> None:
        self.path = state_dir / SNAPSHOT_NAME
        self.bodies = ObjectBodies(state_dir / OBJECT_BODIES)
        self.interval_seconds = interval_seconds
        self._last_save_seconds = 0.0
        self._dirty = threading.Event()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        _register_reducers()

    def load(self) -> int:
        if not self.path.exists():
            return 0
        with self.path.open("rb") as handle:
            snapshot = pickle.load(handle)  # noqa: S301 - our own file
        return restore_snapshot(snapshot, self.bodies)

    def mark_dirty(self) -> None:
        self._dirty.set()

    def save(self) -> None:
        started = time.monotonic()
        with self._lock:
            self._dirty.clear()
            for attempt in range(3):
                try:
                    snapshot, referenced = take_snapshot(self.bodies)
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
            self.bodies.keep_only(referenced)
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
