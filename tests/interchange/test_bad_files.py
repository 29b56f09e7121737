"""Broken import files end in one clear error line, exit code 1 and nothing written (issue 20 §5).

Each importer is run as manage.py runs it (run_from_argv), so a traceback would show.
"""

import json

import pytest
from django.core.management import load_command_class
from django.db import connections

from .conftest import db_counts

pytestmark = pytest.mark.django_db


def _run(app: str, command: str, *args, capsys, monkeypatch) -> tuple[int, str]:
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's transaction
    with pytest.raises(SystemExit) as exited:
        load_command_class(app, command).run_from_argv(["manage.py", command, *map(str, args)])
    return exited.value.code, capsys.readouterr().err


def _framework_files(unmik: dict) -> dict[str, tuple[bytes, str]]:
    text = json.dumps(unmik, ensure_ascii=False)
    return {
        "utf-16": (text.encode("utf-16"), "encoded as UTF-16"),
        "utf-16 without a byte-order mark": (text.encode("utf-16-le"), "looks like UTF-16"),
        "invalid utf-8": (text.encode("utf-8").replace("科索沃".encode(), b"\xff\xfe\xfd", 1), "Not valid UTF-8: byte 0xff"),
        "gb18030": (text.encode("gb18030"), "Not valid UTF-8"),
        "a 5000-digit integer": (text.replace('"format_version": 1', '"format_version": ' + "9" * 5000).encode(), "5000 digits"),
        "100 000-deep nesting": (text.replace('"format_version": 1', '"format_version": ' + "[" * 100_000 + "]" * 100_000).encode(),
                                 "nested more than 64 levels"),
        "a duplicate key": (text.replace('"format_version": 1', '"format_version": 1, "format_version": 1').encode(),
                            'The key "format_version" appears twice'),
        "a number too large for a float": (text.replace('"format_version": 1', '"format_version": 1e999').encode(), "too large"),
    }


CASES = list(_framework_files({"format_version": 1}))


@pytest.mark.parametrize("case", CASES)
def test_import_framework_refuses_a_broken_file_in_one_line(unmik, tmp_path, capsys, monkeypatch, case):
    content, words = _framework_files(unmik)[case]
    path = tmp_path / "framework.json"
    path.write_bytes(content)
    before = db_counts()

    code, err = _run("indicators", "import_framework", path, capsys=capsys, monkeypatch=monkeypatch)

    assert code == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[:2000]
    assert words in lines[0] and "Nothing was imported." in lines[0]
    assert db_counts() == before
