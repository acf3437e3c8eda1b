"""Tools that are not the product: demo data and the reference provincial server (for tests and demos)."""
