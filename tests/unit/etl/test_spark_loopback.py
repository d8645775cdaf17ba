"""The local Spark session listens on 127.0.0.1 only: a job with a shuffle (block manager) and a Python
UDF (Python workers) runs, then every listening TCP socket of this process and its children (the JVM,
the Python worker daemon) is read from /proc and must be on the loopback address."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import pytest
from pyspark.sql import functions as F
from pyspark.sql.types import LongType

PROC = Path("/proc")
TCP_LISTEN = "0A"


def _descendants(root: int) -> set[int]:
    children: dict[int, set[int]] = {}
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        children.setdefault(int(fields[1]), set()).add(int(stat.parent.name))
    found, pending = {root}, [root]
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in (PROC / str(pid) / "fd").glob("*"):
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _address(hex_address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    raw = bytes.fromhex(hex_address)
    # /proc/net/tcp* print each 32-bit word in host (little-endian) order
    address = ipaddress.ip_address(b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4)))
    mapped = getattr(address, "ipv4_mapped", None)  # a Java socket on tcp6 shows 127.0.0.1 as ::ffff:7f00:1
    return mapped or address


def listening_addresses(pids: set[int]) -> list[tuple[int, str, int]]:
    """(pid, address, port) of every listening TCP socket the processes hold."""
    owner = {inode: pid for pid in pids for inode in _socket_inodes(pid)}
    listening = []
    for table in ("tcp", "tcp6"):
        for line in (PROC / "net" / table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == TCP_LISTEN and inode in owner:
                host, port = local.split(":")
                listening.append((owner[inode], str(_address(host)), int(port, 16)))
    return listening


@pytest.mark.skipif(not (PROC / "net" / "tcp").exists(), reason="needs Linux /proc")
def test_a_local_spark_job_listens_on_loopback_only(spark):
    doubled = F.udf(lambda value: value * 2, LongType())
    rows = (
        spark.range(1000)
        .withColumn("bucket", F.col("id") % 7)
        .groupBy("bucket")  # a shuffle: blocks served by the block manager
        .agg(F.sum(doubled("id")).alias("total"))  # a Python worker
        .collect()
    )
    assert sum(row["total"] for row in rows) == 2 * sum(range(1000))

    listening = listening_addresses(_descendants(os.getpid()))
    assert listening, "the driver's RPC endpoint listens, so some socket must be found"
    outside = [
        (pid, address, port)
        for pid, address, port in listening
        if not ipaddress.ip_address(address).is_loopback
    ]
    assert outside == [], f"listening beyond 127.0.0.1 (pid, address, port): {outside}"
