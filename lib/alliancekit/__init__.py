"""alliance-kit: the engagement kit for strategic-alliance consultants.

Each phase of an engagement is a thin notebook (``notebooks/NN_<phase>.ipynb``) that calls
the module of the same name in this package; the runner (:mod:`alliancekit.runner`) validates
the client's inputs, executes the notebooks and renders client-ready HTML and PDF.
"""

__version__ = "0.2.0"
