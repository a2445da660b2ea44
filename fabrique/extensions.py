"""Extensions created once, bound to an app by `init_app` in the factory."""

from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from socketio.packet import Packet
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
socketio = SocketIO()


class TextPacket(Packet):
    """Socket.IO packets whose payloads are JSON text only. Nothing the app sends holds bytes, and
    python-socketio otherwise walks every payload to look for some before encoding it: ~50 µs for
    a phone's snapshot, a third of its packet's cost (binary packets a client sends are still read)."""

    uses_binary_events = False
