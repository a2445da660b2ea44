"""Start the Fabrique server (what `run.sh` and the Procfile run).

With ASYNC_MODE=eventlet (the default), eventlet must patch the standard library before any
other module imports it, so this entry point is the only place that imports eventlet.
"""

import os
import sys
import warnings

if os.environ.get("ASYNC_MODE", "eventlet") == "eventlet":
    # eventlet announces its own deprecation on import; the choice is deliberate and documented
    # in the README, so the room's facilitator should not see that notice at every start.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()

from fabrique.serving import main  # noqa: E402  (must come after monkey_patch)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
