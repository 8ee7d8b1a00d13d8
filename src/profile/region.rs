//! What a region name is: the AWS partitions' region patterns (the `regionRegex`
//! of the partition table the SDKs' endpoint resolvers carry) and the regions
//! each partition knew when this list was written, for a "did you mean".
//!
//! A name that fits no partition's pattern cannot be a region; a name that fits
//! one but is not listed may be a region opened since, so it is only a warning.
//! Pure; no regex engine: every pattern has the shape `PREFIX-\w+-\d+`.

/// One partition: its id, the prefixes of its pattern, and its known regions.
struct Partition {
    id: &'static str,
    /// The pattern is `^(p1|p2|...)-\w+-\d+$`.
    prefixes: &'static [&'static str],
    regions: &'static [&'static str],
}

const PARTITIONS: &[Partition] = &[
    Partition {
        id: "aws",
        prefixes: &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
    },
    Partition {
        id: "aws-cn",
        prefixes: &["cn"],
        regions: &["cn-north-1", "cn-northwest-1"],
    },
    Partition {
        id: "aws-us-gov",
        prefixes: &["us-gov"],
        regions: &["us-gov-east-1", "us-gov-west-1"],
    },
    Partition {
        id: "aws-iso",
        prefixes: &["us-iso"],
        regions: &["us-iso-east-1", "us-iso-west-1"],
    },
    Partition {
        id: "aws-iso-b",
        prefixes: &["us-isob"],
        regions: &["us-isob-east-1", "us-isob-west-1"],
    },
    Partition {
        id: "aws-iso-e",
        prefixes: &["eu-isoe"],
        regions: &["eu-isoe-west-1"],
    },
    Partition {
        id: "aws-iso-f",
        prefixes: &["us-isof"],
        regions: &["us-isof-east-1", "us-isof-south-1"],
    },
    Partition {
        id: "aws-eusc",
        prefixes: &["eusc-de"],
        regions: &["eusc-de-east-1"],
    },
];

/// Whether `rest` is `\w+-\d+` (regex `\w`: letters, digits, underscore).
fn word_dash_digits(rest: &str) -> bool {
    let Some((word, digits)) = rest.rsplit_once('-') else {
        return false;
    };
    !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The partition whose region pattern `name` fits, if any.
pub fn partition(name: &str) -> Option<&'static str> {
    PARTITIONS
        .iter()
        .find(|p| {
            p.prefixes.iter().any(|prefix| {
                name.strip_prefix(prefix)
                    .and_then(|r| r.strip_prefix('-'))
                    .is_some_and(word_dash_digits)
            })
        })
        .map(|p| p.id)
}

/// Whether rolecall's list knows `name` as a region.
pub fn is_known(name: &str) -> bool {
    PARTITIONS.iter().any(|p| p.regions.contains(&name))
}

/// Every region rolecall knows, partition by partition (the one list: "did
/// you mean" and the TUI's region chooser both read it).
pub fn known() -> impl Iterator<Item = &'static str> {
    PARTITIONS.iter().flat_map(|p| p.regions.iter().copied())
}

/// The known region nearest to `name`: at most two edits away, else the
/// longest known region `name` starts with (`us-east-1us-east-1`).
pub fn nearest(name: &str) -> Option<&'static str> {
    crate::fuzzy::nearest(name, known(), 2).or_else(|| {
        known()
            .filter(|r| name.starts_with(r) && name != *r)
            .max_by_key(|r| r.len())
    })
}

/// What is wrong with `name` as a region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// It fits no partition's pattern: not a region at all.
    Malformed {
        /// The nearest known region.
        suggestion: Option<&'static str>,
    },
    /// It has a region's shape, but rolecall does not know it (it may be new).
    Unknown {
        /// The nearest known region.
        suggestion: Option<&'static str>,
    },
}

/// Checks a region name: `None` when it is a known region.
pub fn check(name: &str) -> Option<Problem> {
    if is_known(name) {
        return None;
    }
    let suggestion = nearest(name);
    Some(if partition(name).is_some() {
        Problem::Unknown { suggestion }
    } else {
        Problem::Malformed { suggestion }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_follow_the_partition_table() {
        assert_eq!(partition("us-east-1"), Some("aws"));
        assert_eq!(partition("eu-wst-1"), Some("aws"));
        assert_eq!(partition("us-gov-west-1"), Some("aws-us-gov"));
        assert_eq!(partition("cn-northwest-1"), Some("aws-cn"));
        assert_eq!(partition("us-isob-east-1"), Some("aws-iso-b"));
        assert_eq!(partition("eusc-de-east-1"), Some("aws-eusc"));
        for bad in [
            "us-east-1us-east-1",
            "useast1",
            "US-EAST-1",
            "xx-east-1",
            "us-east",
            "us--1",
            "eu-west-1 ",
            "",
        ] {
            assert_eq!(partition(bad), None, "{bad}");
        }
    }

    #[test]
    fn known_unknown_and_malformed() {
        assert_eq!(check("eu-west-1"), None);
        assert_eq!(
            check("eu-wst-1"),
            Some(Problem::Unknown {
                suggestion: Some("eu-west-1")
            })
        );
        assert_eq!(
            check("ap-newplace-9"),
            Some(Problem::Unknown { suggestion: None })
        );
        assert!(matches!(
            check("us-east-1us-east-1"),
            Some(Problem::Malformed { .. })
        ));
        assert_eq!(
            check("us-est-1x"),
            Some(Problem::Malformed {
                suggestion: Some("us-east-1")
            })
        );
    }
}
