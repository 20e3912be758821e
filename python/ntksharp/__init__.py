"""NtkSharp from Python: infinite-width NNGP/NTK kernels, closed-form gradient-descent predictions, finite deep
ensembles and equivariance checks, computed by the ``ntksharp`` command-line tool and returned as numpy arrays.

Pure Python and numpy, no build step: put this folder's parent (``python/``) on ``sys.path`` or ``PYTHONPATH``.
The tool is found through the ``NTKSHARP_CLI`` environment variable (a command line, e.g.
``"dotnet /path/to/NtkSharp.Cli.dll"``) or as ``ntksharp`` on ``PATH`` (``dotnet tool install``). Every call writes
its inputs as ``.npy`` files to a temporary folder, runs one verb and reads the outputs back. A failing call raises
:class:`NtkSharpError` carrying the tool's one-line message and exit code.

Example::

    import numpy as np, ntksharp
    x = np.random.randn(20, 3)
    k = ntksharp.kernel("Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.5))", x)
    k["ntk"].shape   # (20, 20)
"""

from ._cli import NtkSharpError, NtkSharpNotFoundError, cli_command
from ._api import kernel, predict, ensemble, equivariance

__all__ = [
    "kernel",
    "predict",
    "ensemble",
    "equivariance",
    "NtkSharpError",
    "NtkSharpNotFoundError",
    "cli_command",
]
__version__ = "0.1.0"
