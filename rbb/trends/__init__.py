"""Multi-year trends (issue 14 §5): charts of an item's series across periods, the Trends page."""
