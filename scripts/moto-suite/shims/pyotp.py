"""The part of PyOTP that moto's cognito-idp tests use (TOTP(secret).now()), for machines where
the real package cannot be installed. scripts/moto-suite.py puts this directory on the path only
when `import pyotp` fails. RFC 6238 with PyOTP's defaults: SHA-1, 6 digits, 30-second steps.
"""

import base64
import hashlib
import hmac
import struct
import time


class TOTP:
    """A time-based one-time password generator, as pyotp.TOTP with its defaults."""

    def __init__(self, s, digits=6, interval=30):
        self.secret = s
        self.digits = digits
        self.interval = interval

    def _key(self):
        # Cognito's SecretCode is base32 without padding; PyOTP pads it before decoding.
        s = self.secret.upper()
        return base64.b32decode(s + "=" * (-len(s) % 8))

    def at(self, for_time):
        counter = int(for_time) // self.interval
        digest = hmac.new(self._key(), struct.pack(">Q", counter), hashlib.sha1).digest()
        offset = digest[-1] & 0x0F
        code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
        return str(code % 10**self.digits).zfill(self.digits)

    def now(self):
        return self.at(time.time())

    def verify(self, otp, for_time=None):
        return str(otp) == self.at(time.time() if for_time is None else for_time)
