"""Products: a fixed catalog per scale with Zipf popularity and basket companions, and per-day
price and category changes (replayed like customers' changes, so any day stands alone)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from datagen import volumes
from datagen.columns import cents_to_decimal, concat, epoch_day, text, timestamps
from datagen.pools import pools
from datagen.random import searchsorted_right, stream
from ecomdwh.contracts import PRODUCTS

# category -> (subcategories, typical price in dollars, complementary category for baskets)
CATALOG = {
    "Electronics": (("Headphones", "Chargers", "Speakers", "Smartwatches", "Cameras"), 90, "Accessories"),
    "Accessories": (("Phone Cases", "Cables", "Bags", "Screen Protectors"), 20, "Electronics"),
    "Home & Kitchen": (("Cookware", "Coffee Makers", "Bedding", "Storage"), 45, "Grocery"),
    "Grocery": (("Coffee Beans", "Snacks", "Tea", "Pantry"), 12, "Home & Kitchen"),
    "Clothing": (("T-Shirts", "Jeans", "Jackets", "Socks", "Dresses"), 35, "Shoes"),
    "Shoes": (("Sneakers", "Boots", "Sandals"), 70, "Clothing"),
    "Sports & Outdoors": (("Yoga Mats", "Water Bottles", "Tents", "Bikes"), 55, "Clothing"),
    "Beauty": (("Skincare", "Haircare", "Fragrance", "Makeup"), 25, "Beauty"),
    "Books": (("Fiction", "Cookbooks", "Kids", "Business"), 18, "Books"),
}
CATEGORIES = list(CATALOG)
SUBCATEGORIES = [(c, s) for c in CATEGORIES for s in CATALOG[c][0]]
SUBCATEGORY_CATEGORY = np.array([CATEGORIES.index(c) for c, _ in SUBCATEGORIES])
ADJECTIVES = pa.array(
    ["Classic", "Pro", "Eco", "Ultra", "Essential", "Premium", "Compact", "Deluxe", "Smart", "Everyday"]
)
INACTIVE_SHARE = 0.05
ZIPF_EXPONENT = 1.05
COMPANIONS = 4  # per product: 3 from its own category, 1 from the complementary one


@dataclass
class ProductState:
    """Current attributes of every product, indexed by product_id - 1."""

    subcategory: np.ndarray
    brand: np.ndarray
    adjective: np.ndarray
    price_cents: np.ndarray
    cost_cents: np.ndarray
    is_active: np.ndarray
    updated_at: np.ndarray
    popularity: np.ndarray  # sampling weight (Zipf over a random rank; 0 for inactive products)
    companions: np.ndarray  # (products, COMPANIONS) product ids bought together
    price_changes: dict[int, np.ndarray] = field(default_factory=dict)  # day -> ids
    category_changes: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.subcategory)


def _companions(rng: np.random.Generator, category: np.ndarray, is_active: np.ndarray) -> np.ndarray:
    by_category = [np.flatnonzero((category == c) & is_active) + 1 for c in range(len(CATEGORIES))]
    partner = np.array([CATEGORIES.index(CATALOG[c][2]) for c in CATEGORIES])
    companions = np.empty((len(category), COMPANIONS), dtype=np.int64)
    for column in range(COMPANIONS):
        target = category if column < COMPANIONS - 1 else partner[category]
        for c in range(len(CATEGORIES)):
            mask = target == c
            pool = by_category[c] if len(by_category[c]) else np.flatnonzero(is_active) + 1
            companions[mask, column] = pool[rng.integers(0, len(pool), mask.sum())]
    return companions


def _initial(seed: int, scale: float) -> ProductState:
    rng = stream(seed, "products", 0)
    count = volumes.products(scale)
    subcategory = rng.integers(0, len(SUBCATEGORIES), count)
    typical = np.array([CATALOG[c][1] for c in CATEGORIES])[SUBCATEGORY_CATEGORY[subcategory]]
    dollars = np.maximum(1, np.rint(typical * rng.lognormal(0, 0.5, count)))
    price = (dollars * 100 - 1).astype(np.int64)  # prices end in .99
    is_active = rng.random(count) >= INACTIVE_SHARE
    is_active[0] = True
    rank = rng.permutation(count) + 1
    return ProductState(
        subcategory=subcategory,
        brand=rng.integers(0, len(pools().brands), count),
        adjective=rng.integers(0, len(ADJECTIVES), count),
        price_cents=price,
        cost_cents=np.rint(price * rng.uniform(0.35, 0.75, count)).astype(np.int64),
        is_active=is_active,
        updated_at=epoch_day(volumes.business_date(1 - volumes.HISTORY_DAYS)) * 86_400
        - rng.integers(0, 86_400 * 90, count),
        popularity=np.where(is_active, rank.astype(np.float64) ** -ZIPF_EXPONENT, 0.0),
        companions=_companions(rng, SUBCATEGORY_CATEGORY[subcategory], is_active),
    )


def _apply_changes(state: ProductState, seed: int, day: int) -> None:
    rng = stream(seed, "product-changes", day)
    prices = volumes.per_day(state.count, volumes.PRICE_CHANGES_PER_DAY)
    categories = volumes.per_day(state.count, volumes.CATEGORY_CHANGES_PER_DAY)
    chosen = rng.choice(state.count, min(prices + categories, state.count), replace=False) + 1
    repriced, recategorised = np.sort(chosen[:prices]), np.sort(chosen[prices:])
    changed_at = epoch_day(volumes.business_date(day)) * 86_400
    if len(repriced):
        state.price_changes[day] = repriced
        factor = rng.choice([0.8, 0.85, 0.9, 0.95, 1.05, 1.1, 1.15, 1.2], len(repriced))
        dollars = np.maximum(1, np.rint((state.price_cents[repriced - 1] + 1) * factor / 100))
        state.price_cents[repriced - 1] = (dollars * 100 - 1).astype(np.int64)
        # Price changes take effect at midnight, before any order of the day.
        state.updated_at[repriced - 1] = changed_at + rng.integers(0, 300, len(repriced))
    if len(recategorised):
        state.category_changes[day] = recategorised
        old_category = SUBCATEGORY_CATEGORY[state.subcategory[recategorised - 1]]
        category = (old_category + rng.integers(1, len(CATEGORIES), len(recategorised))) % len(CATEGORIES)
        first_subcategory = np.searchsorted(SUBCATEGORY_CATEGORY, category)
        subcategories = np.array([len(CATALOG[c][0]) for c in CATEGORIES])[category]
        state.subcategory[recategorised - 1] = first_subcategory + rng.integers(0, subcategories)
        state.updated_at[recategorised - 1] = changed_at + rng.integers(0, 300, len(recategorised))


def product_state(seed: int, scale: float, day: int) -> ProductState:
    state = _initial(seed, scale)
    for n in range(1, day + 1):
        _apply_changes(state, seed, n)
    return state


def products_table(state: ProductState, ids: np.ndarray) -> pa.Table:
    rows = ids - 1
    subcategory = state.subcategory[rows]
    category_names = pa.array([c for c, _ in SUBCATEGORIES])
    subcategory_names = pa.array([s for _, s in SUBCATEGORIES])
    brand = pools().brands.take(state.brand[rows])
    columns = {
        "product_id": pa.array(ids, pa.int64()),
        "sku": concat("SKU-", text(ids + 100_000_000)),
        "product_name": concat(
            brand, " ", ADJECTIVES.take(state.adjective[rows]), " ", subcategory_names.take(subcategory)
        ),
        "category": category_names.take(subcategory),
        "subcategory": subcategory_names.take(subcategory),
        "brand": brand,
        "price": cents_to_decimal(state.price_cents[rows]),
        "cost": cents_to_decimal(state.cost_cents[rows]),
        "is_active": pa.array(state.is_active[rows]),
        "updated_at": timestamps(state.updated_at[rows]),
    }
    return pa.table({name: columns[name] for name in PRODUCTS.column_names})


def changed_product_ids(state: ProductState, day: int) -> np.ndarray:
    if day == 0:
        return np.arange(1, state.count + 1)
    changed = [
        state.price_changes.get(day, np.empty(0, np.int64)),
        state.category_changes.get(day, np.empty(0, np.int64)),
    ]
    return np.unique(np.concatenate(changed))


def draw_products(state: ProductState, uniform: np.ndarray) -> np.ndarray:
    """Product ids drawn by popularity (Zipf-like: few products sell most)."""
    cumulative = np.cumsum(state.popularity)
    return np.minimum(searchsorted_right(cumulative, uniform * cumulative[-1]), state.count - 1) + 1


def next_popular(state: ProductState, product_ids: np.ndarray) -> np.ndarray:
    """The active product ranked just below each given one (wrapping around)."""
    by_popularity = np.argsort(-state.popularity, kind="stable")[: int((state.popularity > 0).sum())] + 1
    rank = np.zeros(state.count + 1, dtype=np.int64)
    rank[by_popularity] = np.arange(len(by_popularity))
    return by_popularity[(rank[product_ids] + 1) % len(by_popularity)]
