"""Package list for setuptools; everything else is in pyproject.toml.

The project card keeps ``templates/`` and ``static/`` at the top of the repository. A wheel must
still carry them, so they are mapped into the package as ``annotator.templates`` and
``annotator.static`` (see ``[tool.setuptools.package-dir]``); package discovery cannot find
mapped folders, hence this explicit list.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["annotator", "annotator.*"]),
        "annotator.templates",
        "annotator.static",
    ]
)
