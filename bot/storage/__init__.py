"""Where dx-advisor keeps a firm's profile and its plans, and forgets them on request.

``Store`` is the whole public API: plain dicts in and out, sync methods plus ``a``-prefixed async
twins for the action server. The schema is managed by Alembic (``bot/storage/migrations``):
``Store(url).migrate()``, or ``python -m bot migrate``, brings a database up to the newest
revision; building a Store changes nothing. ``tracker_store`` holds the Rasa tracker store that
makes "delete my data" also delete the conversation; ``endpoints`` the endpoints a run uses (a Redis
lock store when REDIS_URL is set, so several Rasa workers can share conversations).
"""
from bot.storage.store import MAX_SENDER_ID_LENGTH, Store, alembic_config, head_revision

__all__ = ["MAX_SENDER_ID_LENGTH", "Store", "alembic_config", "head_revision"]
