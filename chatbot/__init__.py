"""A chatbot that answers only with quoted, cited sentences from a folder of documents."""

__version__ = "0.1.0"
