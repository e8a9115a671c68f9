"""The part of pycognito that moto's cognito-idp tests use (pycognito.aws_srp), for machines
where the real package cannot be installed; see aws_srp.py.
"""

from . import aws_srp  # noqa: F401
