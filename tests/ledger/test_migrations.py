"""The migrations and the models describe the same tables.

`create_all` is never used outside tests, so a column added to a model without a
migration (or the other way round) would only show in a shop's ledger: catch it here.
"""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from counter.storage.migrate import current_revision, head_revision
from counter.storage.models import Base
from tests.ledger.conftest import Shop
from tests.support.ledger import engine_of


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migrated_ledger_matches_the_models(shop: Shop) -> None:
    engine = engine_of(shop.ledger)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], f"models and migrations disagree: {differences}"


def test_the_head_revision_named_in_code_is_the_newest_migration() -> None:
    """Opening a ledger compares its revision with HEAD_REVISION without loading Alembic."""
    from counter.storage.migrate import HEAD_REVISION

    assert head_revision() == HEAD_REVISION
