//! The functions `rolecall init SHELL` prints, to be evaluated by the user's rc
//! file (`eval "$(rolecall init bash)"`).
//!
//! Each function (default name `rc`) runs `rolecall switch` with the shell's
//! state ([`super::state`]) handed over in `ROLECALL_SHELL_STATE` for that one
//! run, reads only its stdout and evaluates it; the picker draws on stderr.
//! Its exit status is rolecall's, and nothing is evaluated when rolecall
//! fails. Each also completes profile names (`rolecall switch --complete`).
//! Pure: the text is built from the shell, the function name and how to call
//! rolecall.

use super::Shell;

/// The function name when none is given.
pub const DEFAULT_NAME: &str = "rc";

/// Checks a function name: letters, digits, `_` and `-`, not starting with a
/// digit or `-`, so it means the same in every shell.
pub fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "--name '{name}' is not a function name every shell accepts: use letters, digits, _ and -, starting with a letter (e.g. awsp)"
        ))
    }
}

/// The script for `shell` defining function `name`, which calls rolecall as
/// `bin` (a command name or a path).
pub fn script(shell: Shell, name: &str, bin: &str) -> String {
    let bin_q = shell.quote(bin);
    let complete = format!("_rolecall_complete_{}", name.replace('-', "_"));
    let text = match shell {
        Shell::Bash | Shell::Zsh => {
            let (label, completion) = if shell == Shell::Bash {
                (
                    "bash",
                    r#"%COMPLETE%() {
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$(command %BIN% switch --complete 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
}
complete -F %COMPLETE% %NAME%
"#,
                )
            } else {
                (
                    "zsh",
                    r#"%COMPLETE%() {
    local -a profiles
    profiles=(${(f)"$(command %BIN% switch --complete 2>/dev/null)"})
    compadd -a profiles
}
if (( $+functions[compdef] )); then compdef %COMPLETE% %NAME%; fi
"#,
                )
            };
            format!(
                r#"# rolecall for {label}: `%NAME%` picks an AWS profile for this shell, `%NAME% PROFILE`
# switches to it, `%NAME% -` goes back, `%NAME% --clear` undoes every change.
# In ~/.{label}rc: eval "$(rolecall init {label})"
%NAME%() {{
    local __rolecall_out
    __rolecall_out="$(ROLECALL_SHELL_STATE="${{__rolecall_state-}}" command %BIN% switch --shell {label} "$@")" || return
    eval "$__rolecall_out"
}}
{completion}"#
            )
        }
        Shell::Fish => r#"# rolecall for fish: `%NAME%` picks an AWS profile for this shell, `%NAME% PROFILE`
# switches to it, `%NAME% -` goes back, `%NAME% --clear` undoes every change.
# In ~/.config/fish/config.fish: rolecall init fish | source
function %NAME% --description 'Switch this shell to an AWS profile (rolecall)'
    env ROLECALL_SHELL_STATE="$__rolecall_state" %BIN% switch --shell fish $argv | source
    return $pipestatus[1]
end
function %COMPLETE%
    %BIN% switch --complete 2>/dev/null
end
complete -c %NAME% -f -a '(%COMPLETE%)'
"#
        .to_string(),
        Shell::Powershell => r#"# rolecall for PowerShell: `%NAME%` picks an AWS profile for this shell, `%NAME% PROFILE`
# switches to it, `%NAME% -` goes back, `%NAME% --clear` undoes every change.
# In $PROFILE: Invoke-Expression (& rolecall init powershell | Out-String)
function global:%NAME% {
    $env:ROLECALL_SHELL_STATE = $global:__rolecall_state
    try {
        $out = & %BIN% switch --shell powershell @args
        $code = $LASTEXITCODE
    } finally {
        Remove-Item Env:ROLECALL_SHELL_STATE -ErrorAction SilentlyContinue
    }
    if ($code -eq 0 -and $out) { Invoke-Expression ($out -join "`n") }
}
Register-ArgumentCompleter -Native -CommandName %NAME% -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    & %BIN% switch --complete 2>$null | Where-Object { $_ -like "$wordToComplete*" } |
        ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }
}
"#
        .to_string(),
    };
    text.replace("%COMPLETE%", &complete)
        .replace("%NAME%", name)
        .replace("%BIN%", &bin_q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_are_checked() {
        for good in ["rc", "awsp", "aws_use", "p-2"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", "2rc", "-x", "a b", "x;y", "é"] {
            assert!(check_name(bad).unwrap_err().contains("--name"), "{bad}");
        }
    }

    #[test]
    fn posix_shells_evaluate_only_a_successful_switch() {
        let s = script(Shell::Bash, "rc", "/opt/it's/rolecall");
        assert!(s.contains("\nrc() {\n"));
        assert!(s.contains(
            r#"__rolecall_out="$(ROLECALL_SHELL_STATE="${__rolecall_state-}" command '/opt/it'\''s/rolecall' switch --shell bash "$@")" || return"#
        ));
        assert!(s.contains("complete -F _rolecall_complete_rc rc\n"));
        let z = script(Shell::Zsh, "aws-use", "rolecall");
        assert!(z.contains("--shell zsh"));
        assert!(z.contains("compdef _rolecall_complete_aws_use aws-use"));
    }

    #[test]
    fn fish_passes_the_state_and_returns_rolecalls_status() {
        let s = script(Shell::Fish, "rc", "rolecall");
        assert!(s.contains(
            "env ROLECALL_SHELL_STATE=\"$__rolecall_state\" 'rolecall' switch --shell fish $argv | source\n    return $pipestatus[1]"
        ));
        assert!(s.contains("complete -c rc -f -a '(_rolecall_complete_rc)'"));
    }

    #[test]
    fn powershell_script() {
        let s = script(Shell::Powershell, "awsp", "C:\\Tools\\it’s\\rolecall.exe");
        // Typographic quotes end PowerShell strings too: doubled.
        assert!(
            s.contains("$out = & 'C:\\Tools\\it’’s\\rolecall.exe' switch --shell powershell @args")
        );
        assert!(s.contains("function global:awsp {"));
        assert!(s.contains("$env:ROLECALL_SHELL_STATE = $global:__rolecall_state"));
        assert!(s.contains("Remove-Item Env:ROLECALL_SHELL_STATE -ErrorAction SilentlyContinue"));
        // Nothing is evaluated unless rolecall succeeded.
        assert!(s.contains("if ($code -eq 0 -and $out) { Invoke-Expression ($out -join \"`n\") }"));
        assert!(s.contains("Register-ArgumentCompleter -Native -CommandName awsp"));
        // Balanced braces: the script parses as a whole.
        assert_eq!(s.matches('{').count(), s.matches('}').count());
        assert!(!s.contains('%'));
    }
}
