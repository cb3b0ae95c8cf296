"""MS Project XML (MSPDI): `read()` a file safely into an `MspdiDocument`, `write()` one that Project opens."""

from tandem.scheduling.engine.mspdi.document import MspdiDocument, MspdiLink, MspdiTask
from tandem.scheduling.engine.mspdi.reader import DEFAULT_MAX_BYTES, read
from tandem.scheduling.engine.mspdi.writer import write

__all__ = ["DEFAULT_MAX_BYTES", "MspdiDocument", "MspdiLink", "MspdiTask", "read", "write"]
