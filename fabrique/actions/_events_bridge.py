"""Hand committed changes to the event sender (kept apart so actions import no Socket.IO code)."""


def publish(change) -> None:
    from ..events import broadcaster

    broadcaster.publish(change)
