"""Alembic environment for dx-advisor's tables, run programmatically by ``Store.migrate()``.

There is no alembic.ini: ``bot.storage.alembic_config(url)`` builds the configuration. When the
caller passes an open connection in ``config.attributes["connection"]`` it is used as is;
otherwise an engine is made from ``sqlalchemy.url``. Tables that are not ours (Rasa's ``events``
lives in the same database by default) are invisible to autogenerate, so it never drops them.
"""
from alembic import context
from sqlalchemy import create_engine

from bot.storage.models import Base

config = context.config
target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):
    """Leave alone every table that is not in our metadata."""
    if type_ == "table":
        return name in target_metadata.tables
    return True


def _configure(**kwargs):
    context.configure(
        target_metadata=target_metadata,
        include_object=include_object,
        compare_type=True,
        render_as_batch=True,  # SQLite can only ALTER tables by copying them
        **kwargs,
    )


def run_offline():
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online():
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"), future=True)
    try:
        with engine.connect() as connection:
            _configure(connection=connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
