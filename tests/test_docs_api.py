"""The Python API page's code blocks run as written (in order, one namespace)."""
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def test_api_page_examples_run(capsys):
    blocks = re.findall(r"```python\n(.*?)\n```", DOC.read_text(), re.S)
    assert len(blocks) >= 5
    ns: dict = {}
    for i, code in enumerate(blocks):
        exec(compile(code, f"{DOC}:block{i}", "exec"), ns)
    out = capsys.readouterr().out
    assert "supported" in out and "refused: model:" in out and "(4000, 784) (1000, 784) 10" in out
