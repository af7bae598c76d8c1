"""A person's rights under the AVG: find them, export what we hold (JSON), erase it on request."""
