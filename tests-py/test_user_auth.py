"""Choice-based sign-in (USER_AUTH) through boto3: the pool's sign-in policy as CreateUserPool
checks it, admin_initiate_auth with USER_AUTH answering SELECT_CHALLENGE (AvailableChallenges),
an emailed code chosen and answered through admin_respond_to_auth_challenge, initiate_auth with a
preferred emailed code answered through respond_to_auth_challenge, get_user_auth_factors, and the
refusals Cognito gives (a wrong code, a used one, a factor the pool does not allow), never tokens.
"""

from guide import error_of, inbox_code

PASSWORD = "Passw0rd!"
SES = {
    "EmailSendingAccount": "DEVELOPER",
    "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com",
    "From": "no-reply@example.com",
}


def user_auth_pool(cognito, factors=("PASSWORD", "EMAIL_OTP")):
    pool = cognito.create_user_pool(
        PoolName="user-auth",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": list(factors)}},
        EmailConfiguration=SES,
    )["UserPool"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="user-auth",
        ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    cognito.admin_create_user(
        UserPoolId=pool["Id"],
        Username="lee",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "lee@example.com"}, {"Name": "email_verified", "Value": "true"}],
    )
    cognito.admin_set_user_password(UserPoolId=pool["Id"], Username="lee", Password=PASSWORD, Permanent=True)
    return pool["Id"], client["ClientId"]


def test_the_policy_is_described_and_checked(cognito):
    pool_id, _ = user_auth_pool(cognito)
    described = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["Policies"]["SignInPolicy"] == {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}
    code, message, status = error_of(
        cognito.create_user_pool,
        PoolName="no-password",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["EMAIL_OTP"]}},
        EmailConfiguration=SES,
    )
    assert (code, status) == ("InvalidParameterException", 400)
    assert message == "AllowedFirstAuthFactors must include PASSWORD."


def test_admin_initiate_auth_select_challenge_then_an_emailed_code(cognito, url):
    pool_id, client_id = user_auth_pool(cognito)
    started = cognito.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "lee"}
    )
    assert started["ChallengeName"] == "SELECT_CHALLENGE"
    assert started["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    assert "AuthenticationResult" not in started
    emailed = cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="SELECT_CHALLENGE",
        Session=started["Session"],
        ChallengeResponses={"USERNAME": "lee", "ANSWER": "EMAIL_OTP"},
    )
    assert emailed["ChallengeName"] == "EMAIL_OTP"
    assert emailed["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "l***@e***"
    code = inbox_code(url, pool_id, "lee", "Authentication")
    wrong = error_of(
        cognito.admin_respond_to_auth_challenge,
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=emailed["Session"],
        ChallengeResponses={"USERNAME": "lee", "EMAIL_OTP_CODE": "00000000"},
    )
    assert wrong == ("CodeMismatchException", "Invalid code or auth state for the user.", 400)
    done = cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=emailed["Session"],
        ChallengeResponses={"USERNAME": "lee", "EMAIL_OTP_CODE": code},
    )
    assert done["AuthenticationResult"]["TokenType"] == "Bearer"


def test_admin_initiate_auth_with_a_password_and_a_refused_factor(cognito):
    pool_id, client_id = user_auth_pool(cognito)
    signed_in = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "lee", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD},
    )
    assert signed_in["AuthenticationResult"]["AccessToken"]
    started = cognito.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "lee"}
    )
    code, _, status = error_of(
        cognito.admin_respond_to_auth_challenge,
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="SELECT_CHALLENGE",
        Session=started["Session"],
        ChallengeResponses={"USERNAME": "lee", "ANSWER": "SMS_OTP"},
    )
    assert (code, status) == ("InvalidParameterException", 400)


def test_initiate_auth_with_an_emailed_code_and_get_user_auth_factors(cognito, url):
    pool_id, client_id = user_auth_pool(cognito)
    started = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "lee", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
    )
    assert started["ChallengeName"] == "EMAIL_OTP"
    assert started["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    code = inbox_code(url, pool_id, "lee", "Authentication")
    done = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=started["Session"],
        ChallengeResponses={"USERNAME": "lee", "EMAIL_OTP_CODE": code},
    )
    tokens = done["AuthenticationResult"]
    assert tokens["TokenType"] == "Bearer"
    # The code is used up with its session.
    code_again = error_of(
        cognito.respond_to_auth_challenge,
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=started["Session"],
        ChallengeResponses={"USERNAME": "lee", "EMAIL_OTP_CODE": code},
    )
    assert code_again[0] == "NotAuthorizedException"
    factors = cognito.get_user_auth_factors(AccessToken=tokens["AccessToken"])
    assert factors["Username"] == "lee"
    assert factors["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP"]
    code, _, status = error_of(cognito.get_user_auth_factors, AccessToken="not-a-token")
    assert (code, status) == ("NotAuthorizedException", 400)
