"""Schema, attribute and recovery fidelity through boto3 (docs/decisions/0028): the answers moto's
cognito-idp tests expect of real Cognito, as botocore parses them."""

from guide import error_of


def test_schema_refusals(cognito):
    create = cognito.create_user_pool
    assert error_of(create, PoolName="p", Schema=[{"Name": "custom"}]) == (
        "InvalidParameterException",
        "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.",
        400,
    )
    assert error_of(create, PoolName="p", Schema=[{"Name": "email", "DeveloperOnlyAttribute": True}])[1] == (
        "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email"
    )
    assert error_of(
        create,
        PoolName="p",
        Schema=[{"Name": "email", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "2049"}}],
    )[1] == ("user.email: String attributes cannot have a length of more than 2048")
    assert error_of(
        create,
        PoolName="p",
        Schema=[{"Name": "updated_at", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "x"}}],
    )[1] == ("Invalid NumberAttributeConstraints for schema attribute updated_at")


def test_custom_attributes_echoed_and_duplicates(cognito):
    banana = {"Name": "banana", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}
    pool = cognito.create_user_pool(
        PoolName="p", Schema=[banana, {"Name": "number", "AttributeDataType": "Number"}]
    )["UserPool"]
    number = next(a for a in pool["SchemaAttributes"] if a["Name"] == "custom:number")
    assert "NumberAttributeConstraints" not in number
    assert error_of(cognito.add_custom_attributes, UserPoolId=pool["Id"], CustomAttributes=[banana])[1] == (
        "custom:banana: Existing attribute already has name dev:custom:banana."
    )


def test_boolean_case_unknown_attributes_and_recovery(cognito):
    pool_id = cognito.create_user_pool(
        PoolName="p",
        AccountRecoverySetting={"RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]},
        VerificationMessageTemplate={"SmsMessage": "{####} baz"},
    )["UserPool"]["Id"]
    described = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["SmsVerificationMessage"] == "{####} baz"
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username="ann",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "ann@example.com"}, {"Name": "email_verified", "Value": "True"}],
    )
    attrs = {a["Name"]: a["Value"] for a in cognito.admin_get_user(UserPoolId=pool_id, Username="ann")["UserAttributes"]}
    assert attrs["email_verified"] == "true"
    assert error_of(
        cognito.admin_delete_user_attributes,
        UserPoolId=pool_id,
        Username="ann",
        UserAttributeNames=["email", "custom:foo"],
    )[1] == ("Invalid user attributes: user.custom:foo: Attribute does not exist in the schema.\n")
    client_id = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"]["ClientId"]
    assert error_of(cognito.forgot_password, ClientId=client_id, Username="ann")[:2] == (
        "NotAuthorizedException",
        "Contact administrator to reset password.",
    )


def test_forgot_password_unknown_user_legacy(cognito):
    pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="c", PreventUserExistenceErrors="LEGACY"
    )["UserPoolClient"]["ClientId"]
    assert error_of(cognito.forgot_password, ClientId=client_id, Username="nobody")[:2] == (
        "UserNotFoundException",
        "Username/client id combination not found.",
    )
