"""A CSV user import through boto3 (docs/user-import.md): the header, the PUT to the job's
PreSignedUrl with the encryption header as AWS's guide sends it, the run, and the users."""

import time
import urllib.request


def test_imports_users_from_a_csv(cognito):
    pool_id = cognito.create_user_pool(PoolName="import", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    header = cognito.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    values = {"cognito:username": "ada", "email": "ada@example.com", "email_verified": "True", "cognito:mfa_enabled": "false"}
    body = ",".join(header) + "\n" + ",".join(values.get(c, "") for c in header) + "\n"
    job = cognito.create_user_import_job(
        UserPoolId=pool_id, JobName="boto3", CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/CognitoImport"
    )["UserImportJob"]
    assert job["Status"] == "Created" and job["JobId"].startswith("import-"), job
    put = urllib.request.Request(
        job["PreSignedUrl"], data=body.encode(), method="PUT", headers={"x-amz-server-side-encryption": "aws:kms"}
    )
    with urllib.request.urlopen(put) as res:
        assert res.status == 200
    started = cognito.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
    assert started["Status"] == "Pending", started
    for _ in range(200):
        described = cognito.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
        if described["Status"] not in ("Pending", "InProgress"):
            break
        time.sleep(0.05)
    assert described["Status"] == "Succeeded" and described["ImportedUsers"] == 1, described
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="ada")
    assert user["UserStatus"] == "RESET_REQUIRED"
    listed = cognito.list_user_import_jobs(UserPoolId=pool_id, MaxResults=10)["UserImportJobs"]
    assert [j["JobId"] for j in listed] == [job["JobId"]]
