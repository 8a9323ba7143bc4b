"""The registry: the households of a worker's area, with their members and events, for the phone."""
