"""Reading files: Excel's quirks handled, hostile input refused with a clear message and no crash."""
from __future__ import annotations

import json
import tracemalloc

import pytest

from exact_tui.localdata import FileProblem, read_table


def _read(tmp_path, data: bytes, name="f.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_table(path)


def test_excel_semicolon_csv_with_bom_crlf_sep_line_and_trailing_columns(tmp_path):
    data = ("sep=;\r\nid;name;city;;\r\n1;\"Jansen; Zn\";Utrecht;;\r\n\r\n;;;;\r\n2;\"multi\r\nline\";Gent;;\r\n"
            "3;\"say \"\"hi\"\"\";x;;\r\n").encode("utf-8-sig")
    table = _read(tmp_path, data)
    assert table.separator == ";" and table.headers == ["id", "name", "city"]
    assert [r.cells["name"] for r in table.rows] == ["Jansen; Zn", "multi\r\nline", 'say "hi"']
    assert [r.line for r in table.rows] == [3, 6, 8]  # lines as a text editor numbers them


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_separator_sniffed_from_header(tmp_path, sep):
    table = _read(tmp_path, f"id{sep}name\n1{sep}A, B; C\n".encode() if sep in "\t|" else
                  f'id{sep}name\n1{sep}"A, B; C"\n'.encode())
    assert table.separator == sep and table.rows[0].cells == {"id": "1", "name": "A, B; C"}


def test_utf16_excel_unicode_text(tmp_path):
    table = _read(tmp_path, "id\tname\n1\tMüller\n".encode("utf-16"))
    assert table.rows[0].cells["name"] == "Müller" and table.encoding == "utf-16"


def test_cp1252_file_is_read_with_a_warning(tmp_path):
    table = _read(tmp_path, "id;name\n1;Müller – Café\n".encode("cp1252"))
    assert table.rows[0].cells["name"] == "Müller – Café"
    assert table.encoding == "windows-1252" and "not UTF-8" in table.warnings[0] and "line 2" in table.warnings[0]


def test_latin1_bytes_cp1252_cannot_decode_fall_back_to_latin1(tmp_path):
    table = _read(tmp_path, b"id;name\n1;A\x81\xe9\n")
    assert table.encoding == "latin-1" and table.rows[0].cells["name"] == "A\x81é"


@pytest.mark.parametrize("data, message", [
    (b"", "is empty"), (b"   \n\r\n", "is empty"), (b"PK\x03\x04rest-of-a-zip", "Excel workbook"),
    (b"%PDF-1.7 ...", "PDF"), (bytes(range(256)) * 20, "binary"), (b"\n\n;;;\n", "no header"),
    (b"id,,name\n1,2,3\n", "column 2 of the header is empty"), (b"id,name,ID\n", "appears twice"),
    (b"id,name\n1,A,extra,more\n", "line 2: 4 cells"),
])
def test_hostile_files_give_clear_messages(tmp_path, data, message):
    with pytest.raises(FileProblem, match=message):
        _read(tmp_path, data)


def test_header_only_file_has_no_rows(tmp_path):
    table = _read(tmp_path, b"id,name\r\n")
    assert table.headers == ["id", "name"] and table.rows == []


def test_ten_megabyte_single_field_is_refused_with_bounded_memory(tmp_path):
    tracemalloc.start()
    try:
        with pytest.raises(FileProblem, match="line 2: a cell is longer than"):
            _read(tmp_path, b"id,name\n1," + b"A" * 10_000_000 + b"\n")
        with pytest.raises(FileProblem, match="line 2: a cell is longer than"):
            _read(tmp_path, b'id,name\n1,"' + b"A" * 10_000_000)  # an unclosed quote swallowing the file
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 120_000_000  # a few copies of the file at most, not a blow-up


def test_json_list_of_objects_numbers_as_decimal(tmp_path):
    table = _read(tmp_path, b'[{"id": 1, "amount": 12.10}, {"id": "2", "name": " x "}]', "f.json")
    assert table.headers == ["id", "amount", "name"]
    assert str(table.rows[0].cells["amount"]) == "12.10" and table.rows[1].cells["name"] == "x"
    wrapped = _read(tmp_path, json.dumps({"customers": [{"id": "1"}]}).encode(), "w.json")
    assert wrapped.rows[0].cells == {"id": "1"}


@pytest.mark.parametrize("data, message", [
    (b"{not json", "not valid JSON"), (b'"text"', "expected a JSON list"), (b"[1, 2]", "record 1 is int"),
    (b'{"a": [], "b": []}', "one list"),
])
def test_bad_json(tmp_path, data, message):
    with pytest.raises(FileProblem, match=message):
        _read(tmp_path, data, "f.json")


def test_json_with_a_ten_megabyte_field_is_read_and_then_refused_by_validation(tmp_path):
    from exact_tui.localdata import build, build_mapping

    table = _read(tmp_path, json.dumps([{"id": "1", "name": "A" * 10_000_000}]).encode(), "f.json")
    batch = build(table, build_mapping("customers", table.headers))
    assert batch.records == [] and "characters long" in str(batch.problems[0])
    assert batch.problems[0].field == "name" and batch.problems[0].where == "record"
