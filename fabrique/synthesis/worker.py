"""Render one synthesis file in a child process: `{"format", "doc", "illustrations"}` as JSON on
stdin, the file's bytes on stdout, the reason of a failure on stderr (see `exports`).

Run by path. It loads the renderers of this folder as a package of their own, without the app
(Flask, SQLAlchemy, Socket.IO): they need only the document, and the child starts in a fraction
of the time.
"""

import importlib
import json
import sys
import types
from pathlib import Path


def main() -> int:
    package = types.ModuleType("synthesis_renderers")
    package.__path__ = [str(Path(__file__).resolve().parent)]
    sys.modules[package.__name__] = package
    exports = importlib.import_module("synthesis_renderers.exports")
    to_pdf = importlib.import_module("synthesis_renderers.to_pdf")

    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    try:
        body = exports.render(request["format"], request["doc"], request.get("illustrations"))
    except to_pdf.PdfError as exc:
        sys.stderr.write(str(exc))
        return 1
    sys.stdout.buffer.write(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
