"""The client side of Cognito's USER_SRP_AUTH as pycognito.aws_srp exposes it (AWSSRP,
get_secret_hash, long_to_hex), written for scripts/moto-suite.py, which puts it on the path only
when `import pycognito` fails. The math is the public SRP-6a of the Cognito clients (RFC 5054
3072-bit group, g = 2, their pad_hex, HKDF "Caldera Derived Key"), the same as scenarios/srp.ts.
"""

import base64
import datetime
import hashlib
import hmac
import os
import re

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
G_HEX = "2"
INFO_BITS = bytearray("Caldera Derived Key", "utf-8")


def hash_sha256(buf):
    return hashlib.sha256(buf).hexdigest().rjust(64, "0")


def hex_hash(hex_string):
    return hash_sha256(bytearray.fromhex(hex_string))


def hex_to_long(hex_string):
    return int(hex_string, 16)


def long_to_hex(long_num):
    return "%x" % long_num


def pad_hex(long_int):
    """Even length, and a 00 byte in front when the top bit is set (Java's toByteArray)."""
    hash_str = long_to_hex(long_int) if not isinstance(long_int, str) else long_int
    if len(hash_str) % 2 == 1:
        hash_str = "0" + hash_str
    elif hash_str[0] in "89ABCDEFabcdef":
        hash_str = "00" + hash_str
    return hash_str


def compute_hkdf(ikm, salt):
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    info_bits_update = INFO_BITS + bytearray(chr(1), "utf-8")
    return hmac.new(prk, info_bits_update, hashlib.sha256).digest()[:16]


def calculate_u(big_a, big_b):
    return hex_to_long(hex_hash(pad_hex(big_a) + pad_hex(big_b)))


class AWSSRP:
    """One SRP exchange for a user of a pool, as pycognito's AWSSRP."""

    def __init__(self, username, password, pool_id, client_id, pool_region=None, client=None, client_secret=None):
        if pool_region is None and client is None:
            raise ValueError("pool_region or client is required")
        self.username = username
        self.password = password
        self.pool_id = pool_id
        self.client_id = client_id
        self.client = client
        self.client_secret = client_secret
        self.big_n = hex_to_long(N_HEX)
        self.val_g = hex_to_long(G_HEX)
        self.k = hex_to_long(hex_hash("00" + N_HEX + "0" + G_HEX))
        self.small_a_value = self.generate_random_small_a()
        self.large_a_value = self.calculate_a()

    def generate_random_small_a(self):
        return int.from_bytes(os.urandom(128), "big") % self.big_n

    def calculate_a(self):
        big_a = pow(self.val_g, self.small_a_value, self.big_n)
        if big_a % self.big_n == 0:
            raise ValueError("Safety check for A failed")
        return big_a

    def get_password_authentication_key(self, username, password, server_b_value, salt):
        u_value = calculate_u(self.large_a_value, server_b_value)
        if u_value == 0:
            raise ValueError("U cannot be zero.")
        username_password = f"{self.pool_id.split('_')[1]}{username}:{password}"
        username_password_hash = hash_sha256(username_password.encode("utf-8"))
        x_value = hex_to_long(hex_hash(pad_hex(salt) + username_password_hash))
        g_mod_pow_xn = pow(self.val_g, x_value, self.big_n)
        int_value2 = server_b_value - self.k * g_mod_pow_xn
        s_value = pow(int_value2, self.small_a_value + u_value * x_value, self.big_n)
        return compute_hkdf(bytearray.fromhex(pad_hex(s_value)), bytearray.fromhex(pad_hex(long_to_hex(u_value))))

    def get_auth_params(self):
        auth_params = {"USERNAME": self.username, "SRP_A": long_to_hex(self.large_a_value)}
        if self.client_secret is not None:
            auth_params["SECRET_HASH"] = self.get_secret_hash(self.username, self.client_id, self.client_secret)
        return auth_params

    @staticmethod
    def get_secret_hash(username, client_id, client_secret):
        message = bytearray(username + client_id, "utf-8")
        hmac_obj = hmac.new(bytearray(client_secret, "utf-8"), message, hashlib.sha256)
        return base64.standard_b64encode(hmac_obj.digest()).decode("utf-8")

    @staticmethod
    def get_cognito_formatted_timestamp(input_datetime):
        # "Mon Jan 2 03:04:05 UTC 2006": the day of the month without a leading zero.
        return re.sub(r" 0(\d) ", r" \1 ", input_datetime.strftime("%a %b %d %H:%M:%S UTC %Y"))

    def process_challenge(self, challenge_parameters, request_parameters):
        internal_username = challenge_parameters["USERNAME"]
        user_id_for_srp = challenge_parameters["USER_ID_FOR_SRP"]
        salt_hex = challenge_parameters["SALT"]
        srp_b_hex = challenge_parameters["SRP_B"]
        secret_block_b64 = challenge_parameters["SECRET_BLOCK"]
        timestamp = self.get_cognito_formatted_timestamp(datetime.datetime.now(datetime.timezone.utc))
        hkdf = self.get_password_authentication_key(user_id_for_srp, self.password, hex_to_long(srp_b_hex), salt_hex)
        msg = (
            bytearray(self.pool_id.split("_")[1], "utf-8")
            + bytearray(user_id_for_srp, "utf-8")
            + bytearray(base64.standard_b64decode(secret_block_b64))
            + bytearray(timestamp, "utf-8")
        )
        signature = base64.standard_b64encode(hmac.new(hkdf, msg, digestmod=hashlib.sha256).digest())
        response = {
            "TIMESTAMP": timestamp,
            "USERNAME": internal_username,
            "PASSWORD_CLAIM_SECRET_BLOCK": secret_block_b64,
            "PASSWORD_CLAIM_SIGNATURE": signature.decode("utf-8"),
        }
        if self.client_secret is not None:
            response["SECRET_HASH"] = self.get_secret_hash(internal_username, self.client_id, self.client_secret)
        return response
