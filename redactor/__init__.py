"""redactor: a redaction and sensitivity checker for documents about to be released."""

__version__ = "0.1.0"
