"""`python -m chatbot` runs the same command as `chatbot`."""

import sys

from .cli import main

sys.exit(main())
