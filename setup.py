"""Builds the EAF reader's optional compiled fast path; everything else about the package is in pyproject.toml.

The extension reads lxml's parsed tree through the headers the lxml wheel ships, so lxml is a build
requirement too. It is optional: without a C compiler the package installs and reads EAF files with Python.
"""

import lxml
from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "kslars.formats._eaf_scan",
            sources=["kslars/formats/_eaf_scan.c"],
            include_dirs=lxml.get_include(),
            optional=True,
        )
    ]
)
