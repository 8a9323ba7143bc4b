"""Long work off the request: batch receipts, big exports and imports, run by a background worker."""
