"""A version's rows as bytes and back: Arrow IPC with zstd, and a hash of the content.

Pure: no Flask, no database. The hash is taken over the uncompressed IPC stream of the
columns in a fixed order, so the same rows always give the same hash whatever compression
or library build wrote them.
"""

from __future__ import annotations

import hashlib

import pyarrow as pa
import pyarrow.ipc as ipc

from .building import ROLES

BOOKKEEPING = ("excluded", "exclude_reason")
COLUMN_ORDER = (*ROLES, *BOOKKEEPING)


def canonical(table: pa.Table) -> pa.Table:
    """Columns in a fixed order, one chunk each, with the exclusion columns present."""
    n = table.num_rows
    if "excluded" not in table.column_names:
        table = table.append_column("excluded", pa.array([False] * n, pa.bool_()))
    if "exclude_reason" not in table.column_names:
        table = table.append_column("exclude_reason", pa.array([""] * n, pa.string()))
    names = [c for c in COLUMN_ORDER if c in table.column_names]
    return table.select(names).combine_chunks()


def _stream(table: pa.Table, compression: str | None) -> bytes:
    sink = pa.BufferOutputStream()
    options = ipc.IpcWriteOptions(compression=compression)
    with ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table, max_chunksize=max(table.num_rows, 1))
    return sink.getvalue().to_pybytes()


def content_hash(table: pa.Table) -> str:
    return hashlib.sha256(_stream(canonical(table), None)).hexdigest()


def encode(table: pa.Table) -> tuple[bytes, str]:
    """The stored bytes of ``table`` and the SHA-256 of its content."""
    table = canonical(table)
    return _stream(table, "zstd"), hashlib.sha256(_stream(table, None)).hexdigest()


def decode(payload: bytes) -> pa.Table:
    return ipc.open_stream(pa.py_buffer(payload)).read_all()
