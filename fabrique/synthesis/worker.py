"""Make one synthesis file in a child process (see `exports`).

stdin: `{"config": {...}, "atelier_id": 12, "demarche": false, "format": "docx", "options": {}}` as
JSON ("html" is the web page, `options` its links or a CSV's one table, see `exports`); stdout:
one line of JSON (`{"disposition": "attachment; …"}`) then the file's bytes;
stderr: the reason of a failure. The child reads the database itself and builds the document,
so that none of that work runs in the live server's process.
"""

import json
import os
import sys


def main() -> int:
    if hasattr(os, "nice"):
        os.nice(10)  # the live server answers phones first; a file may take a little longer
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    from fabrique import create_app
    from fabrique.synthesis.exports import ExportError, produce_here
    from fabrique.synthesis.to_pdf import PdfError

    app = create_app(request["config"])
    with app.app_context():
        try:
            disposition, body = produce_here(request["atelier_id"], request["demarche"], request["format"],
                                             request.get("options"))
        except (PdfError, ExportError) as exc:
            sys.stderr.write(str(exc))
            return 1
    sys.stdout.buffer.write(json.dumps({"disposition": disposition}).encode("utf-8") + b"\n" + body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
