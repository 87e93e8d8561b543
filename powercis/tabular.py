"""Reading and writing the tables stations exchange: xlsx and csv (UTF-8 or GBK) with Chinese headers.

``read_table`` turns a file into rows keyed by canonical field names (header aliases map Chinese and
English headers to one name); ``RowError`` carries a row number, a stable code and a Chinese reason.
Importers validate every row first and apply only when no row is bad (all or nothing).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from powercis.services import ServiceError


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based line in the file, header = 1
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


#: Files above this size are refused before they are parsed (a station's monthly files are far smaller).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: At most this many row errors are listed; the message still gives the total.
MAX_ROW_ERRORS = 200


class ImportRejected(ServiceError):
    """The file had bad rows; nothing was written. ``details`` lists the bad rows (the first
    ``MAX_ROW_ERRORS`` of them; the message counts them all)."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        shown = list(errors)[:MAX_ROW_ERRORS]
        more = f"（仅列出前 {len(shown)} 处）" if len(errors) > len(shown) else ""
        super().__init__(
            "import_rejected",
            f"导入失败：{len(errors)} 处错误，未导入任何数据{more}",
            details=[e.as_dict() for e in shown],
        )
        self.errors = list(errors)
        self.total = len(errors)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ServiceError("bad_encoding", "文件编码无法识别（支持 UTF-8 与 GBK）")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(filename: str, data: bytes, aliases: Mapping[str, str]) -> list[dict[str, str]]:
    """Rows of an xlsx or csv file as dicts of canonical field → text; unknown headers are kept as is.

    Each row also carries ``_row``: its line number in the file (header is line 1).
    """
    if len(data) > MAX_FILE_BYTES:
        raise ServiceError("file_too_large", f"文件过大（{len(data) // (1024 * 1024)} MB，上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）")
    name = filename.lower()
    raw_rows: list[list[str]]
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise ServiceError("bad_file", f"无法读取 Excel 文件: {exc}") from None
        ws = wb.worksheets[0]
        raw_rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
    elif name.endswith(".csv") or name.endswith(".txt"):
        raw_rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(_decode(data)))]
    else:
        raise ServiceError("bad_file_type", "只支持 .xlsx 或 .csv 文件")
    if not raw_rows:
        raise ServiceError("empty_file", "文件为空")
    headers = [aliases.get(h.strip(), aliases.get(h.strip().lower(), h.strip())) for h in raw_rows[0]]
    rows = []
    for index, raw in enumerate(raw_rows[1:], start=2):
        if not any(raw):
            continue
        row = {h: (raw[i] if i < len(raw) else "") for i, h in enumerate(headers) if h}
        row["_row"] = str(index)
        rows.append(row)
    return rows


def missing_columns(rows: Iterable[Mapping[str, str]], required: Iterable[str], labels: Mapping[str, str]) -> list[RowError]:
    first = next(iter(rows), None)
    if first is None:
        return [RowError(1, "", "no_rows", "文件没有数据行")]
    return [RowError(1, labels.get(c, c), "missing_column", f"缺少列：{labels.get(c, c)}") for c in required if c not in first]


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Sheet1") -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.append(list(headers))
    for row in rows:
        ws.append([str(v) if v is not None and not isinstance(v, int | str) else v for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_upload(upload: Any) -> bytes:
    """An uploaded file's bytes, its size checked before it is read (Django keeps large ones on disk)."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise ServiceError("file_too_large", f"文件过大（{size // (1024 * 1024)} MB，上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）")
    data: bytes = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ServiceError("file_too_large", f"文件过大（上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）")
    return data
