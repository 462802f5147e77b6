"""Use cases of the counter: the CLI and the screen call these and nothing below them.

Each takes an open `Ledger` (from `open_ledger`) and runs in its own unit of work.
"""

from counter.domain.records import AuditEntry, OperatorTotal, Role, Sale, ShopInfo, User, Void
from counter.services.errors import (
    AuthError,
    DuplicateSale,
    LedgerExists,
    NotAllowed,
    NotInitialised,
    SaleRefused,
    StorageError,
    UserError,
    VoidRefused,
)
from counter.services.ledger import (
    Ledger,
    init_shop,
    is_initialised,
    open_ledger,
    set_exchange_rate,
)
from counter.services.sales import (
    business_date,
    day_totals,
    get_sale,
    last_sale,
    normalise_receipt,
    number_history,
    sales_for_day,
    search_sales,
    sell,
    void_sale,
)
from counter.services.uow import UnitOfWork
from counter.services.upkeep import EXPORT_COLUMNS, backup, doctor, export_sales
from counter.services.users import (
    add_user,
    authenticate,
    disable_user,
    find_user,
    list_users,
    set_pin,
    unlock_user,
)

__all__ = [
    "EXPORT_COLUMNS",
    "AuditEntry",
    "AuthError",
    "DuplicateSale",
    "Ledger",
    "LedgerExists",
    "NotAllowed",
    "NotInitialised",
    "OperatorTotal",
    "Role",
    "Sale",
    "SaleRefused",
    "ShopInfo",
    "StorageError",
    "UnitOfWork",
    "User",
    "UserError",
    "Void",
    "VoidRefused",
    "add_user",
    "authenticate",
    "backup",
    "business_date",
    "day_totals",
    "disable_user",
    "doctor",
    "export_sales",
    "find_user",
    "get_sale",
    "init_shop",
    "is_initialised",
    "last_sale",
    "list_users",
    "normalise_receipt",
    "number_history",
    "open_ledger",
    "sales_for_day",
    "search_sales",
    "sell",
    "set_exchange_rate",
    "set_pin",
    "unlock_user",
    "void_sale",
]
