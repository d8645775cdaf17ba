"""The embedded local AWS: moto server with our gap patches, persistence and launcher."""
