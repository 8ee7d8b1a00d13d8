//! The profile keys the AWS SDKs and the AWS CLI read, so a key one or two
//! typing mistakes away from one of them (`regoin`) is caught before it is
//! written, while keys other tools keep for themselves (`manager`,
//! `granted_sso_start_url`, `rolecall_generated`) are written with a note.
//!
//! Gathered from the configuration each reads: botocore's config chain and
//! the AWS CLI's own settings, aws-config's profile providers, and the keys
//! tools write to state when temporary keys expire. Pure.

/// Keys read from a profile (or an sso-session) by the SDKs or the AWS CLI.
pub const KNOWN_KEYS: &[&str] = &[
    // Credentials and where they come from.
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
    "aws_account_id",
    "role_arn",
    "source_profile",
    "credential_source",
    "external_id",
    "mfa_serial",
    "role_session_name",
    "duration_seconds",
    "web_identity_token_file",
    "credential_process",
    "login_session",
    // IAM Identity Center.
    "sso_session",
    "sso_start_url",
    "sso_region",
    "sso_account_id",
    "sso_role_name",
    "sso_registration_scopes",
    // Expiry of temporary keys, as tools write it.
    "x_security_token_expires",
    "aws_expiration",
    "aws_session_expiration",
    "expiration",
    // Where and how requests go.
    "region",
    "endpoint_url",
    "ignore_configure_endpoint_urls",
    "services",
    "use_dualstack_endpoint",
    "use_fips_endpoint",
    "sts_regional_endpoints",
    "s3",
    "ca_bundle",
    "defaults_mode",
    "retry_mode",
    "max_attempts",
    "parameter_validation",
    "tcp_keepalive",
    "api_versions",
    "endpoint_discovery_enabled",
    "disable_request_compression",
    "request_min_compression_size_bytes",
    "request_checksum_calculation",
    "response_checksum_validation",
    "account_id_endpoint_mode",
    "auth_scheme_preference",
    "sigv4a_signing_region_set",
    "sdk_ua_app_id",
    "disable_host_prefix_injection",
    // Instance metadata.
    "metadata_service_timeout",
    "metadata_service_num_attempts",
    "ec2_metadata_service_endpoint",
    "ec2_metadata_service_endpoint_mode",
    "ec2_metadata_v1_disabled",
    // The AWS CLI's own.
    "output",
    "cli_pager",
    "cli_timestamp_format",
    "cli_follow_urlparam",
    "cli_binary_format",
    "cli_auto_prompt",
    "cli_history",
    "cli_help_output",
];

/// Whether the SDKs or the AWS CLI read `key`.
pub fn is_known(key: &str) -> bool {
    KNOWN_KEYS.contains(&key)
}

/// The known key `key` is probably a misspelling of: within two edits (one
/// for keys of four letters or fewer, where two edits make anything alike).
pub fn near_miss(key: &str) -> Option<&'static str> {
    let limit = if key.chars().count() <= 4 { 1 } else { 2 };
    crate::fuzzy::nearest(key, KNOWN_KEYS.iter().copied(), limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_caught_and_other_tools_keys_are_not() {
        assert_eq!(near_miss("regoin"), Some("region"));
        assert_eq!(near_miss("role_ar"), Some("role_arn"));
        assert_eq!(near_miss("sso_start_ur"), Some("sso_start_url"));
        assert_eq!(near_miss("sourceprofile"), Some("source_profile"));
        assert_eq!(near_miss("region"), None);
        for theirs in [
            "manager",
            "granted_sso_start_url",
            "granted_sso_region",
            "granted_sso_account_id",
            "granted_sso_role_name",
            "rolecall_generated",
            "azure_tenant_id",
            "color",
        ] {
            assert_eq!(near_miss(theirs), None, "{theirs}");
        }
    }
}
