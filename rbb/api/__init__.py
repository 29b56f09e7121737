"""The REST API under /api/v1/: composition of the apps' APIs, exports, IATI and the schema."""
