"""The procedure catalogue: its entries and versions, the papers each procedure asks for, and fees."""
