"""Client data in, as clients export it: mappings from the client's files to the kit's inputs.

An entry under ``data:`` in the engagement file is a path (the kit's own format) or a
mapping (:class:`~.mapping.DataMapping`): which header holds which kit column, how dates
and numbers are written, which stage means won, how a wide survey export or a folder of
interview documents becomes the kit's table. The client's files are never changed; the
mapping lives in the engagement file, so next quarter's export needs no hand work.
"""

from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "mapping": ("DataMapping", "kit_columns", "mapping_problems", "parse_mapping"),
})
