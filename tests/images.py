"""Compare stored plots as images: decoded pixels, a tolerance, matplotlib's own test tool."""

import base64
import tempfile
from pathlib import Path

from matplotlib.testing.compare import compare_images
from matplotlib.testing.exceptions import ImageComparisonFailure

#: Largest RMS pixel difference (0-255) accepted. Another CPU's float32 kernels move a few
#: hundred pixels of a loss curve (RMS 0.1-2); a curve removed or added moves RMS above 10.
TOLERANCE = 4.0


def png_difference(expected, actual, tol=TOLERANCE):
    """None if two PNG images (bytes or base64 text) match within ``tol``, else a message."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in (("expected.png", expected), ("actual.png", actual)):
            path = Path(tmp) / name
            path.write_bytes(base64.b64decode(data) if isinstance(data, str) else data)
            paths.append(str(path))
        try:
            result = compare_images(*paths, tol=tol, in_decorator=True)
        except ImageComparisonFailure as err:  # e.g. the image sizes differ
            return str(err)
    return None if result is None else f"RMS {result['rms']:.2f} > tolerance {tol}"
