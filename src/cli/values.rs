//! How the command line spells the domain's choices: clap's `ValueEnum` for
//! the export formats, the shells and the Dapr component types, implemented
//! here so the domain modules never depend on clap.

use clap::ValueEnum;
use clap::builder::PossibleValue;

use crate::dapr::component::Type;
use crate::exec::export::Format;
use crate::shell::Shell;

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            Format::Sh,
            Format::Fish,
            Format::Powershell,
            Format::Dotenv,
            Format::Json,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Format::Sh => {
                PossibleValue::new("sh").help("POSIX shells: `export K='v'` and `unset K`")
            }
            Format::Fish => PossibleValue::new("fish").help("fish: `set -gx K 'v'` and `set -e K`"),
            Format::Powershell => PossibleValue::new("powershell")
                .help("PowerShell: `$Env:K = 'v'` and `Remove-Item Env:K`"),
            Format::Dotenv => {
                PossibleValue::new("dotenv").help("A `.env` file: `K=\"v\"` (only what is set)")
            }
            Format::Json => {
                PossibleValue::new("json").help("JSON: `{\"set\": {...}, \"unset\": [...]}`")
            }
        })
    }
}

impl ValueEnum for Shell {
    fn value_variants<'a>() -> &'a [Self] {
        &[Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Powershell]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Shell::Bash => PossibleValue::new("bash").help("bash 4 or later"),
            Shell::Zsh => PossibleValue::new("zsh").help("zsh"),
            Shell::Fish => PossibleValue::new("fish").help("fish 3.1 or later"),
            Shell::Powershell => PossibleValue::new("powershell")
                .help("PowerShell 7 (pwsh) or Windows PowerShell 5.1"),
        })
    }
}

impl ValueEnum for Type {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            Type::DynamoDb,
            Type::SnsSqs,
            Type::S3,
            Type::SecretsManager,
            Type::ParameterStore,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self {
            Type::DynamoDb => "needs --table",
            Type::S3 => "needs --bucket",
            Type::SnsSqs | Type::SecretsManager | Type::ParameterStore => "",
        };
        let value = PossibleValue::new(self.as_str());
        Some(if help.is_empty() {
            value
        } else {
            value.help(help)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_name_that_parses_back() {
        for f in Format::value_variants() {
            let name = f.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(Format::from_str(&name, false).unwrap(), *f);
        }
        for s in Shell::value_variants() {
            let name = s.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(Shell::from_str(&name, false).unwrap(), *s);
        }
        for t in Type::value_variants() {
            assert_eq!(Type::from_str(t.as_str(), false).unwrap(), *t);
        }
    }
}
