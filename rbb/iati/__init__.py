"""IATI 2.03 activity XML of reports' results frameworks (rbb.iati.builder), and its validation.

The schema files in xsd/ are the official IATI 2.03 activity schema (IATI-Schemas, branch
version-2.03), copied into the project so that nothing is fetched at run time.
"""

from .builder import activities_build
from .validation import iati_validate

__all__ = ["activities_build", "iati_validate"]
