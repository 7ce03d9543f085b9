"""A chatbot that answers only with quoted, cited sentences from a folder of documents."""

import os

__version__ = "0.1.0"

# onnxruntime (the default backend) keeps a device id under ~/.cache/Microsoft and queues usage events for
# Microsoft unless told not to before it starts; this bot sends nothing anywhere. Set ORT_DISABLE_TELEMETRY=0
# to let it.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
