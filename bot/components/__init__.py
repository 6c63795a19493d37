"""Custom Rasa graph components (thin wrappers over the pure modules in bot/)."""
