//! The terminal UI end to end: the real `rolecall` binary in a real
//! pseudo-terminal (a private tmux server per test), driven with keys and read
//! back from the screen. Checks what only a real terminal shows: the files after
//! an edit made with keys, the terminal given back in cooked mode and on the main
//! screen (after quitting and after a panic), redraws on resize, and a change
//! made by another program showing up.
//!
//! tmux comes from `ROLECALL_TEST_TMUX` (`scripts/test.sh` installs Debian's tmux
//! package and sets it); without it every test here fails, saying so.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{peer, rolecall_bin};

/// How long to wait for something to appear on the screen or on disk.
const WAIT: Duration = Duration::from_secs(10);
/// How often to look meanwhile.
const POLL: Duration = Duration::from_millis(50);

const CONFIG: &str = "\
# Team profiles. Edited by hand: keep this comment.
[default]
region = us-east-1
output = json

# The developer role, assumed with base's keys
[profile dev]
role_arn = arn:aws:iam::123456789012:role/Developer
source_profile = base
region = eu-west-1
s3 =
    max_concurrent_requests = 20

[profile prod]
role_arn = arn:aws:iam::210987654321:role/ReadOnly
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/me

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile analytics]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Analyst
";

const CREDENTIALS: &str = "\
# Long-term keys (the fake ones from the AWS documentation)
[base]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
";

/// Quotes `s` for `sh`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// One `rolecall` in its own tmux server, with a home, XDG directories and AWS
/// files of its own in a temporary directory. Dropping it kills the server.
struct Tui {
    dir: tempfile::TempDir,
    tmux: PathBuf,
    socket: PathBuf,
}

/// The tmux session (and so the window and pane) everything is sent to.
const TARGET: &str = "rolecall-e2e";

impl Tui {
    /// A temporary directory with `aws/config` and `aws/credentials`.
    fn new(config: &str, credentials: &str) -> Tui {
        let tmux = peer("TMUX");
        let dir = tempfile::Builder::new()
            .prefix("rolecall-tui-")
            .tempdir()
            .expect("temp dir");
        for sub in [
            "home",
            "xdg/config",
            "xdg/state",
            "xdg/cache",
            "xdg/data",
            "aws",
        ] {
            fs::create_dir_all(dir.path().join(sub)).expect("create dirs");
        }
        let socket = dir.path().join("tmux.sock");
        let tui = Tui { dir, tmux, socket };
        fs::write(tui.config_path(), config).expect("write config");
        fs::write(tui.credentials_path(), credentials).expect("write credentials");
        tui
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `AWS_CONFIG_FILE`.
    fn config_path(&self) -> PathBuf {
        self.path("aws/config")
    }

    /// `AWS_SHARED_CREDENTIALS_FILE`.
    fn credentials_path(&self) -> PathBuf {
        self.path("aws/credentials")
    }

    /// Where the pane's shell writes `stty -a` and rolecall's exit status.
    fn after_path(&self) -> PathBuf {
        self.path("after.txt")
    }

    /// A tmux command on this test's server, with a clean environment (which the
    /// server, started by the first command, passes on to the pane).
    fn tmux_command(&self) -> Command {
        let mut cmd = Command::new(&self.tmux);
        cmd.env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("xdg/config"))
            .env("XDG_STATE_HOME", self.path("xdg/state"))
            .env("XDG_CACHE_HOME", self.path("xdg/cache"))
            .env("XDG_DATA_HOME", self.path("xdg/data"))
            .env("AWS_CONFIG_FILE", self.config_path())
            .env("AWS_SHARED_CREDENTIALS_FILE", self.credentials_path())
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("LC_ALL", "C.UTF-8")
            .arg("-f")
            .arg("/dev/null")
            .arg("-S")
            .arg(&self.socket)
            .current_dir(self.path("home"));
        cmd
    }

    /// Runs tmux with `args`; panics if it fails.
    fn tmux(&self, args: &[&str]) -> String {
        let mut cmd = self.tmux_command();
        cmd.args(args);
        let out: Output = cmd
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.tmux.display()));
        assert!(
            out.status.success(),
            "tmux {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Starts `rolecall ARGS` in a 120×30 pane, with `env` added to its
    /// environment. The pane's shell prints a line first (so the main screen
    /// can be told from the TUI's), and afterwards writes rolecall's exit status
    /// and `stty -a` to [`Tui::after_path`], then stays open.
    fn start(&self, args: &[&str], env: &[(&str, &str)]) {
        let after = self.after_path().display().to_string();
        let tmp = format!("{after}.tmp");
        let mut command = vec![sh_quote(&rolecall_bin().display().to_string())];
        command.extend(args.iter().map(|a| sh_quote(a)));
        let assignments: Vec<String> = env
            .iter()
            .map(|(k, v)| format!("{k}={}", sh_quote(v)))
            .collect();
        let script = format!(
            "echo 'shell before rolecall'; {env} {command}; code=$?; \
             {{ echo \"exit=$code\"; stty -a; }} > {tmp} 2>&1; mv {tmp} {after}; exec sleep 60",
            env = assignments.join(" "),
            command = command.join(" "),
            tmp = sh_quote(&tmp),
            after = sh_quote(&after),
        );
        self.tmux(&[
            "new-session",
            "-d",
            "-s",
            TARGET,
            "-x",
            "120",
            "-y",
            "30",
            "sh",
            "-c",
            &script,
        ]);
    }

    /// Sends tmux key names (`Enter`, `BSpace`, `q`, …).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", TARGET];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Types `text` literally.
    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", TARGET, "-l", text]);
    }

    /// What the pane shows now.
    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", TARGET])
    }

    /// Whether the pane is on the alternate screen.
    fn alternate_screen(&self) -> bool {
        self.tmux(&["display-message", "-p", "-t", TARGET, "#{alternate_on}"])
            .trim()
            == "1"
    }

    /// Waits until the screen satisfies `ok`; returns it. Panics with the last
    /// screen after [`WAIT`].
    #[track_caller]
    fn wait_screen(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if Instant::now() >= deadline {
                panic!("waited {WAIT:?} for {what}; the screen shows:\n{screen}");
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the screen shows `text`.
    #[track_caller]
    fn wait_for(&self, text: &str) -> String {
        self.wait_screen(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits until the screen no longer shows `text`.
    #[track_caller]
    fn wait_gone(&self, text: &str) -> String {
        self.wait_screen(&format!("{text:?} to go"), |s| !s.contains(text))
    }

    /// Waits for rolecall to exit; returns what the shell wrote afterwards
    /// (`exit=N`, then `stty -a`).
    #[track_caller]
    fn wait_exit(&self) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(text) = fs::read_to_string(self.after_path()) {
                return text;
            }
            if Instant::now() >= deadline {
                panic!(
                    "rolecall did not exit within {WAIT:?}; the screen shows:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        // Also on a failed assertion: no tmux server outlives its test.
        let _ = self
            .tmux_command()
            .arg("kill-server")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// Checks that rolecall exited with `code` and left the terminal in cooked mode
/// (line editing and echo on), on the main screen where the shell's line is,
/// showing `expect` too; returns that screen.
#[track_caller]
fn assert_terminal_given_back(tui: &Tui, after: &str, code: i32, expect: &str) -> String {
    assert!(
        after.starts_with(&format!("exit={code}\n")),
        "rolecall's exit status:\n{after}\nscreen:\n{}",
        tui.screen()
    );
    let words: Vec<&str> = after
        .split(|c: char| c.is_whitespace() || c == ';')
        .collect();
    for flag in ["icanon", "echo", "isig", "icrnl", "opost"] {
        assert!(
            words.contains(&flag) && !words.contains(&format!("-{flag}").as_str()),
            "the terminal is not back in cooked mode ({flag}):\n{after}"
        );
    }
    // tmux reads the pane on its own time: let it catch up with rolecall's last bytes.
    let deadline = Instant::now() + WAIT;
    loop {
        let alternate = tui.alternate_screen();
        let screen = tui.screen();
        if !alternate
            && screen.contains("shell before rolecall")
            && screen.contains(expect)
            && !screen.contains("Profiles")
        {
            return screen;
        }
        if Instant::now() >= deadline {
            panic!(
                "the main screen with {expect:?} did not come back (alternate screen on: \
                 {alternate}); the screen shows:\n{screen}"
            );
        }
        std::thread::sleep(POLL);
    }
}

/// The issue's scenario: filter, edit one value with keys, preview, save, quit.
/// Exactly one line changes, the backup holds the original, the terminal is
/// given back.
#[test]
#[ignore = "needs tmux: run scripts/test.sh"]
fn edit_with_keys_changes_one_line_keeps_a_backup_and_gives_the_terminal_back() {
    let tui = Tui::new(CONFIG, CREDENTIALS);
    tui.start(&[], &[]);
    tui.wait_for("5 profiles");
    assert!(
        tui.alternate_screen(),
        "the TUI draws on the alternate screen"
    );

    tui.keys(&["/"]);
    tui.type_text("dev");
    tui.wait_for("1 of 5 profiles");
    tui.keys(&["Enter"]);
    tui.wait_for("filter: dev");

    let old = "arn:aws:iam::123456789012:role/Developer";
    let new = "arn:aws:iam::123456789012:role/PowerUser";
    tui.keys(&["e"]);
    tui.wait_for(" Edit dev — s preview");
    tui.keys(&["Enter"]);
    tui.wait_for("typing: Enter keeps");
    // The value is selected: the first key replaces it.
    tui.type_text(new);
    tui.wait_for(new);
    tui.keys(&["Enter"]);
    tui.wait_gone("typing: Enter keeps");
    tui.keys(&["s"]);
    tui.wait_for(" Save dev? ");
    tui.keys(&["y"]);
    tui.wait_for("saved");
    tui.keys(&["q"]);
    let after = tui.wait_exit();
    assert_terminal_given_back(&tui, &after, 0, "");

    let old_line = format!("role_arn = {old}\n");
    let new_line = format!("role_arn = {new}\n");
    assert_eq!(CONFIG.matches(&old_line).count(), 1);
    assert_eq!(
        fs::read_to_string(tui.config_path()).unwrap(),
        CONFIG.replace(&old_line, &new_line),
        "only the role_arn line changes"
    );
    let backup = rolecall::store::backup_path(&tui.config_path());
    assert_eq!(fs::read_to_string(&backup).unwrap(), CONFIG, "the backup");
    assert_eq!(
        fs::read_to_string(tui.credentials_path()).unwrap(),
        CREDENTIALS
    );
    let credentials_backup = rolecall::store::backup_path(&tui.credentials_path());
    assert!(
        !credentials_backup.exists(),
        "the credentials were not written"
    );
}

/// A panic in the TUI still gives the terminal back, and its message is seen.
#[test]
#[ignore = "needs tmux: run scripts/test.sh"]
fn a_panic_gives_the_terminal_back_and_shows_the_message() {
    let tui = Tui::new(CONFIG, CREDENTIALS);
    // ROLECALL_TEST_PANIC: `tui::run` panics right after the first frame.
    tui.start(&[], &[("ROLECALL_TEST_PANIC", "1")]);
    let after = tui.wait_exit();
    let screen = assert_terminal_given_back(
        &tui,
        &after,
        101,
        "ROLECALL_TEST_PANIC is set: panicking after the first frame",
    );
    assert!(screen.contains("panicked at"), "{screen}");
    assert_eq!(fs::read_to_string(tui.config_path()).unwrap(), CONFIG);
}

/// Whether `screen` is a whole frame drawn for `width` × `height`: the boxes'
/// top and bottom borders span the width, and the bottom one is where that
/// height puts it (the last row is the status line).
fn drawn_for(screen: &str, width: usize, height: usize) -> bool {
    let lines: Vec<&str> = screen.lines().collect();
    let spans = |i: usize, first: char, last: char| {
        lines.get(i).is_some_and(|l| {
            l.chars().count() == width && l.starts_with(first) && l.ends_with(last)
        })
    };
    lines.len() == height
        && lines[1].starts_with("┌ Profiles ")
        && spans(1, '┌', '┐')
        && spans(height - 2, '└', '┘')
}

/// A resize redraws (the details pane needs 100 columns), and a profile another
/// program adds appears without a key press.
#[test]
#[ignore = "needs tmux: run scripts/test.sh"]
fn resizes_redraw_and_changes_on_disk_show_up() {
    let tui = Tui::new(CONFIG, CREDENTIALS);
    tui.start(&[], &[]);
    tui.wait_for(" Details ");

    tui.tmux(&["resize-window", "-t", TARGET, "-x", "80", "-y", "20"]);
    let narrow = tui.wait_screen("a redraw at 80×20", |s| drawn_for(s, 80, 20));
    assert!(!narrow.contains("Details"), "{narrow}");
    tui.tmux(&["resize-window", "-t", TARGET, "-x", "120", "-y", "30"]);
    let wide = tui.wait_screen("a redraw at 120×30", |s| drawn_for(s, 120, 30));
    assert!(wide.contains("┐┌ Details "), "{wide}");

    let mut config = CONFIG.to_string();
    config.push_str("\n[profile staging]\nrole_arn = arn:aws:iam::444455556666:role/Deployer\nsource_profile = base\n");
    fs::write(tui.config_path(), &config).unwrap();
    let screen = tui.wait_for("staging");
    assert!(screen.contains("6 profiles"), "{screen}");

    tui.keys(&["q"]);
    let after = tui.wait_exit();
    assert_terminal_given_back(&tui, &after, 0, "");
    assert_eq!(fs::read_to_string(tui.config_path()).unwrap(), config);
}

/// `--demo` opens, `?` shows help, `q` closes it, a second `q` quits with 0.
#[test]
#[ignore = "needs tmux: run scripts/test.sh"]
fn demo_help_and_quit() {
    let tui = Tui::new("", "");
    tui.start(&["--demo"], &[]);
    tui.wait_for("bundled demo (read-only)");
    tui.keys(&["?"]);
    tui.wait_for(" Help ");
    tui.keys(&["q"]);
    let screen = tui.wait_gone(" Help ");
    assert!(screen.contains("bundled demo (read-only)"), "{screen}");
    tui.keys(&["q"]);
    let after = tui.wait_exit();
    assert_terminal_given_back(&tui, &after, 0, "");
}

#[test]
#[ignore = "needs tmux: run scripts/test.sh"]
fn exec_pick_runs_the_command_with_the_profile_chosen_in_the_list() {
    let tui = Tui::new(
        "[profile other]\nregion = eu-west-1\n",
        "[alpha]\naws_access_key_id = AKIAALPHA00000000000\naws_secret_access_key = alpha-secret\n\n[beta]\naws_access_key_id = AKIABETA000000000000\naws_secret_access_key = beta-secret\n",
    );
    let out = tui.path("picked.txt").display().to_string();
    let script = format!(
        "echo \"$ROLECALL_PROFILE $AWS_ACCESS_KEY_ID\" > {}",
        sh_quote(&out)
    );
    tui.start(&["exec", "--pick", "--", "sh", "-c", &script], &[]);
    tui.wait_for("Pick a profile");
    tui.keys(&["/"]);
    tui.type_text("beta");
    tui.keys(&["Enter"]);
    tui.wait_for("filter: beta");
    tui.keys(&["Enter"]);
    let after = tui.wait_exit();
    assert_terminal_given_back(&tui, &after, 0, "");
    let picked = fs::read_to_string(&out).expect("the command ran");
    assert_eq!(picked.trim(), "beta AKIABETA000000000000");
}

#[test]
#[ignore = "needs tmux and python: run scripts/test.sh"]
fn sso_login_from_the_list_shows_the_code_and_esc_cancels() {
    let server = common::sso::SsoServer::start(&[]);
    let tui = Tui::new(CONFIG, CREDENTIALS);
    let env = [
        ("AWS_ENDPOINT_URL_SSO_OIDC", server.url.as_str()),
        ("AWS_ENDPOINT_URL_SSO", server.url.as_str()),
        ("ROLECALL_BROWSER", "/bin/true"),
        // An SSH session: the device code (with its code on screen), not PKCE.
        ("SSH_CONNECTION", "127.0.0.1 50000 127.0.0.1 22"),
    ];
    tui.start(&[], &env);
    tui.wait_for("analytics");
    tui.keys(&["/"]);
    tui.type_text("analytics");
    tui.keys(&["Enter"]);
    // A first login, cancelled while it waits.
    tui.keys(&["L"]);
    tui.wait_for("Waiting for you to allow access");
    tui.keys(&["Escape"]);
    tui.wait_for("cancelled");
    // A second one, approved by the "user" with the code read off the screen.
    tui.keys(&["L"]);
    let code_in = |screen: &str| {
        screen
            .split_whitespace()
            .find(|w| {
                w.len() == 9
                    && w.as_bytes()[4] == b'-'
                    && w.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
            })
            .map(str::to_string)
    };
    // tmux may capture a frame half drawn: wait for the code itself.
    let screen = tui.wait_screen("the code on the screen", |s| {
        s.contains("Your browser is open on the sign-in page") && code_in(s).is_some()
    });
    let code = code_in(&screen).unwrap();
    server.approve(&code);
    tui.wait_for("logged in to sso-session 'corp'");
    let token = tui
        .path("home/.aws/sso/cache")
        .join(format!("{}.json", common::sha1_hex("corp")));
    assert!(
        fs::read_to_string(&token)
            .unwrap()
            .contains("\"accessToken\": \"access-")
    );
    assert_eq!(
        server.count("token_issued"),
        1,
        "the cancelled login got no token"
    );
    tui.keys(&["q"]);
    let after = tui.wait_exit();
    assert_terminal_given_back(&tui, &after, 0, "");
}

#[test]
#[ignore = "needs tmux and python: run scripts/test.sh"]
fn sso_setup_from_the_welcome_screen_writes_the_profiles() {
    let server = common::sso::SsoServer::start(&["--accounts", "3", "--roles", "2"]);
    let tui = Tui::new("", "");
    fs::remove_file(tui.config_path()).unwrap();
    fs::remove_file(tui.credentials_path()).unwrap();
    let browser = tui.path("browser.sh");
    fs::write(
        &browser,
        format!(
            "#!/bin/sh\nexec '{}' -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()' \"$1\"\n",
            peer("PYTHON").display()
        ),
    )
    .unwrap();
    std::os::unix::fs::PermissionsExt::set_mode(
        &mut fs::metadata(&browser).unwrap().permissions(),
        0o755,
    );
    Command::new("chmod")
        .arg("755")
        .arg(&browser)
        .status()
        .unwrap();
    let env = [
        ("AWS_ENDPOINT_URL_SSO_OIDC", server.url.as_str()),
        ("AWS_ENDPOINT_URL_SSO", server.url.as_str()),
        ("ROLECALL_BROWSER", browser.to_str().unwrap()),
    ];
    tui.start(&[], &env);
    tui.wait_for("Welcome to rolecall");
    tui.keys(&["o"]);
    tui.wait_for("AWS access portal URL");
    tui.type_text("https://corp.awsapps.com/start");
    tui.keys(&["Enter"]);
    tui.keys(&["BSpace"; 9]);
    tui.type_text("eu-west-1");
    tui.keys(&["Enter"]);
    tui.keys(&["Enter"]); // the suggested session name, "corp"
    tui.wait_for("0 picked, 6 shown");
    tui.type_text("Admin");
    tui.wait_for("0 picked, 3 shown");
    // To the table; a checks every row shown.
    tui.keys(&["Tab", "a"]);
    tui.wait_for("3 picked, 3 shown");
    tui.keys(&["Enter"]);
    tui.wait_for("3 profiles to add");
    tui.keys(&["Enter"]);
    // The preview names the profiles too: wait for it to close, then for the list.
    tui.wait_gone("to add");
    tui.wait_for("Account-002.AdministratorAccess");
    let config = fs::read_to_string(tui.config_path()).expect("the config was written");
    assert!(config.starts_with("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n"), "{config}");
    assert_eq!(config.matches("rolecall_generated = corp").count(), 3);
    tui.keys(&["q"]);
    let after = tui.wait_exit();
    assert_terminal_given_back(&tui, &after, 0, "");
}

/// A portal with 50 accounts × 3 roles: three rows picked one by one with
/// Space (found by id, by account name and by role) become exactly three
/// profiles.
#[test]
#[ignore = "needs tmux and python: run scripts/test.sh"]
fn sso_setup_with_50_accounts_writes_exactly_the_three_rows_picked() {
    let server = common::sso::SsoServer::start(&["--accounts", "50", "--roles", "3"]);
    let tui = Tui::new("", "");
    fs::remove_file(tui.config_path()).unwrap();
    fs::remove_file(tui.credentials_path()).unwrap();
    let browser = tui.path("browser.sh");
    fs::write(
        &browser,
        format!(
            "#!/bin/sh\nexec '{}' -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()' \"$1\"\n",
            peer("PYTHON").display()
        ),
    )
    .unwrap();
    Command::new("chmod")
        .arg("755")
        .arg(&browser)
        .status()
        .unwrap();
    let env = [
        ("AWS_ENDPOINT_URL_SSO_OIDC", server.url.as_str()),
        ("AWS_ENDPOINT_URL_SSO", server.url.as_str()),
        ("ROLECALL_BROWSER", browser.to_str().unwrap()),
    ];
    tui.start(&[], &env);
    tui.wait_for("Welcome to rolecall");
    tui.keys(&["o"]);
    tui.wait_for("AWS access portal URL");
    tui.type_text("https://corp.awsapps.com/start");
    tui.keys(&["Enter"]);
    tui.wait_for("us-east-1");
    // The region is offered selected: typing replaces it.
    tui.type_text("eu-west-1");
    tui.keys(&["Enter"]);
    tui.keys(&["Enter"]); // the suggested session name, "corp"
    tui.wait_for("0 picked, 150 shown");
    // An account id: its three roles, not account 10's.
    tui.type_text("100000000001");
    tui.wait_for("0 picked, 3 shown");
    tui.keys(&["Tab", "Space"]); // its first role
    tui.wait_for("1 picked, 3 shown");
    // An account name and a role, as words.
    tui.keys(&["Tab", "Tab", "C-u"]);
    tui.type_text("Account 042 power");
    tui.wait_for("1 picked, 1 shown");
    tui.keys(&["Tab", "Space"]);
    tui.wait_for("2 picked, 1 shown");
    // The generated name, as shown; the second of its rows.
    tui.keys(&["Tab", "Tab", "C-u"]);
    tui.type_text("Account-007.");
    tui.wait_for("2 picked, 3 shown");
    tui.keys(&["Tab", "Down", "Space"]);
    tui.wait_for("3 picked, 3 shown");
    tui.keys(&["Enter"]);
    tui.wait_for("3 profiles to add");
    tui.keys(&["Enter"]);
    tui.wait_gone("to add");
    tui.wait_for("Account-042.PowerUserAccess");
    let config = fs::read_to_string(tui.config_path()).expect("the config was written");
    assert_eq!(
        config.matches("rolecall_generated = corp").count(),
        3,
        "{config}"
    );
    for (account, role) in [
        ("100000000001", "AdministratorAccess"),
        ("100000000042", "PowerUserAccess"),
        ("100000000007", "PowerUserAccess"), // its second row, by name
    ] {
        assert!(
            config.contains(&format!(
                "sso_account_id = {account}\nsso_role_name = {role}\n"
            )),
            "{account} {role}:\n{config}"
        );
    }
    tui.keys(&["q"]);
    let after = tui.wait_exit();
    assert_terminal_given_back(&tui, &after, 0, "");
}

#[test]
fn sh_quote_quotes() {
    assert_eq!(sh_quote("a b"), "'a b'");
    assert_eq!(sh_quote("it's"), r"'it'\''s'");
}

/// Many profiles, for scrolling: `p00` … `p39`, each with a region.
fn many_profiles() -> String {
    (0..40)
        .map(|i| format!("[profile p{i:02}]\nregion = eu-west-1\n"))
        .collect()
}

/// Copies the selected profile's export line (`y`) and waits for the status
/// line to name `profile`: the way to read the selection from outside.
#[track_caller]
fn assert_selected(tui: &Tui, profile: &str) {
    tui.keys(&["y"]);
    tui.wait_for(&format!("export AWS_PROFILE='{profile}'"));
}

/// The profile named in the status line's last `export AWS_PROFILE='…'`, once
/// it differs from `before`.
#[track_caller]
fn copied_profile(tui: &Tui, before: Option<&str>) -> String {
    tui.keys(&["y"]);
    let name = |s: &str| {
        let at = s.rfind("AWS_PROFILE='")? + "AWS_PROFILE='".len();
        let end = s[at..].find('\'')?;
        Some(s[at..at + end].to_string())
    };
    let screen = tui.wait_screen("a profile copied", |s| {
        name(s).is_some_and(|n| Some(n.as_str()) != before)
    });
    name(&screen).unwrap()
}

/// The issue's steps: `/de`, Enter, `j`, Esc: the profile moved to stays
/// selected once the filter is cleared.
#[test]
#[ignore = "needs tmux: run scripts/test.sh"]
fn filter_move_and_clear_keep_the_selected_profile() {
    const BY_NAME: [&str; 5] = ["analytics", "base", "default", "dev", "prod"];
    let tui = Tui::new(CONFIG, CREDENTIALS);
    tui.start(&[], &[]);
    tui.wait_for("5 profiles");
    tui.keys(&["/"]);
    tui.type_text("de");
    tui.wait_for("of 5 profiles");
    tui.keys(&["Enter"]);
    tui.wait_for("filter: de");
    let first = copied_profile(&tui, None);
    tui.keys(&["j"]);
    let second = copied_profile(&tui, Some(&first));
    tui.keys(&["Escape"]);
    tui.wait_gone("of 5 profiles");
    // Still on the second match: one up is the profile above it by name.
    let at = BY_NAME.iter().position(|n| *n == second).unwrap();
    tui.keys(&["k"]);
    let above = copied_profile(&tui, Some(&second));
    assert_eq!(above, BY_NAME[at - 1], "{second} was still selected");
    tui.keys(&["q"]);
    let after = tui.wait_exit();
    assert_terminal_given_back(&tui, &after, 0, "");
}

/// Editing inside a value: the field opens with the value selected, ← and
/// Home keep it and move the cursor, typing goes where the cursor is, ^e goes
/// to the end, ^w deletes a word. Exactly that line changes on disk.
#[test]
#[ignore = "needs tmux: run scripts/test.sh"]
fn editing_a_field_with_cursor_movement_writes_exactly_that_value() {
    let tui = Tui::new(CONFIG, CREDENTIALS);
    tui.start(&[], &[]);
    tui.wait_for("5 profiles");
    tui.keys(&["/"]);
    tui.type_text("dev");
    tui.wait_for("1 of 5 profiles");
    tui.keys(&["Enter", "e"]);
    tui.wait_for(" Edit dev — s preview");
    tui.keys(&["Enter"]);
    tui.wait_for("typing: Enter keeps");
    // "…:role/Developer": 9 to the left is before "Developer".
    tui.keys(&["-N", "9", "Left"]);
    tui.type_text("Lead");
    tui.keys(&["C-e"]);
    tui.type_text("X");
    tui.keys(&["Home"]);
    tui.type_text("Y");
    tui.keys(&["BSpace", "C-e", "C-w"]);
    tui.type_text("Architect");
    tui.wait_for("role/Architect");
    tui.keys(&["Enter"]);
    tui.wait_gone("typing: Enter keeps");
    tui.keys(&["s"]);
    tui.wait_for(" Save dev? ");
    tui.keys(&["y"]);
    tui.wait_for("saved");
    tui.keys(&["q"]);
    let after = tui.wait_exit();
    assert_terminal_given_back(&tui, &after, 0, "");
    let old_line = "role_arn = arn:aws:iam::123456789012:role/Developer\n";
    let new_line = "role_arn = arn:aws:iam::123456789012:role/Architect\n";
    assert_eq!(
        fs::read_to_string(tui.config_path()).unwrap(),
        CONFIG.replace(old_line, new_line),
        "only the role_arn line changes"
    );
}

/// A resize from 120×40 to 80×24 and back keeps the selected profile, and
/// keeps its row on screen when the list gets shorter.
#[test]
#[ignore = "needs tmux: run scripts/test.sh"]
fn resizing_keeps_the_selection_and_its_row_on_screen() {
    let tui = Tui::new(&many_profiles(), "");
    tui.start(&[], &[]);
    tui.tmux(&["resize-window", "-t", TARGET, "-x", "120", "-y", "40"]);
    tui.wait_screen("a redraw at 120×40", |s| drawn_for(s, 120, 40));
    tui.keys(&["G"]);
    assert_selected(&tui, "p39");
    tui.keys(&["-N", "5", "k"]);
    assert_selected(&tui, "p34");

    tui.tmux(&["resize-window", "-t", TARGET, "-x", "80", "-y", "24"]);
    let narrow = tui.wait_screen("a redraw at 80×24", |s| drawn_for(s, 80, 24));
    assert!(
        narrow.contains("p34"),
        "the selected row is on screen:\n{narrow}"
    );
    assert!(!narrow.contains("p00"), "the list scrolled:\n{narrow}");
    tui.keys(&["k"]);
    assert_selected(&tui, "p33");

    tui.tmux(&["resize-window", "-t", TARGET, "-x", "120", "-y", "40"]);
    tui.wait_screen("a redraw at 120×40", |s| drawn_for(s, 120, 40));
    tui.keys(&["j"]);
    assert_selected(&tui, "p34");
    tui.keys(&["q"]);
    let after = tui.wait_exit();
    assert_terminal_given_back(&tui, &after, 0, "");
}

/// Issue 19: Space marks two rows, `!` runs a command in both at once in the
/// background (exec --each's credentials: long-term keys in the environment,
/// no network), the results view shows both ok, and Enter shows a profile's
/// own output.
#[test]
#[ignore = "needs tmux: run scripts/test.sh"]
fn marking_two_rows_and_running_a_command_in_both() {
    let tui = Tui::new(
        "[profile other]\nregion = eu-west-1\n",
        "[alpha]\naws_access_key_id = AKIAALPHA00000000000\naws_secret_access_key = alpha-secret\n\n[beta]\naws_access_key_id = AKIABETA000000000000\naws_secret_access_key = beta-secret\n",
    );
    tui.start(&[], &[]);
    tui.wait_for("3 profiles");
    // The first row (alpha) is selected; Space marks it and moves to beta.
    tui.keys(&["Space", "Space"]);
    tui.wait_for("2 marked");
    tui.type_text("!");
    tui.wait_for("Run in 2 marked profiles");
    tui.type_text("echo \"seen:$ROLECALL_PROFILE:$AWS_ACCESS_KEY_ID\"");
    tui.keys(&["Enter"]);
    let screen = tui.wait_for("2 ok · 0 failed · done");
    assert!(screen.contains("in 2 profiles"), "{screen}");
    tui.keys(&["Enter"]);
    tui.wait_for("Output of alpha");
    tui.wait_for("seen:alpha:AKIAALPHA00000000000");
    tui.keys(&["Escape"]);
    tui.wait_gone("Output of");
    tui.keys(&["j", "Enter"]);
    let screen = tui.wait_for("seen:beta:AKIABETA000000000000");
    assert!(!screen.contains("seen:alpha"), "{screen}");
    tui.keys(&["Escape"]);
    tui.wait_gone("Output of");
    tui.keys(&["Escape"]);
    tui.wait_gone("2 ok · 0 failed");
    tui.keys(&["q"]);
    let after = tui.wait_exit();
    assert_terminal_given_back(&tui, &after, 0, "");
}

/// `exec --pick` with rows marked runs the command in each of them, as
/// `--each` does, after the same question on the terminal.
#[test]
#[ignore = "needs tmux: run scripts/test.sh"]
fn exec_pick_with_marked_rows_runs_in_each_after_asking() {
    let tui = Tui::new(
        "[profile other]\nregion = eu-west-1\n",
        "[alpha]\naws_access_key_id = AKIAALPHA00000000000\naws_secret_access_key = alpha-secret\n\n[beta]\naws_access_key_id = AKIABETA000000000000\naws_secret_access_key = beta-secret\n",
    );
    let dir = tui.path("").display().to_string();
    let script = format!(
        "echo \"$AWS_ACCESS_KEY_ID\" > {}/ran-$ROLECALL_PROFILE.txt",
        sh_quote(dir.trim_end_matches('/'))
    );
    tui.start(&["exec", "--pick", "--", "sh", "-c", &script], &[]);
    tui.wait_for("Space marks several");
    tui.keys(&["/"]);
    tui.type_text("a");
    tui.keys(&["Enter"]);
    tui.wait_for("filter: a");
    // alpha and beta match `a` (other does not): mark both, then Enter.
    tui.type_text("V");
    tui.wait_for("● beta");
    tui.wait_for("Enter runs in the marked profiles");
    tui.keys(&["Enter"]);
    tui.wait_for("2 profiles match: alpha, beta");
    tui.type_text("y");
    tui.keys(&["Enter"]);
    let after = tui.wait_exit();
    assert!(after.starts_with("exit=0"), "{after}");
    for (name, key) in [
        ("alpha", "AKIAALPHA00000000000"),
        ("beta", "AKIABETA000000000000"),
    ] {
        let ran = fs::read_to_string(tui.path(&format!("ran-{name}.txt"))).expect("ran");
        assert_eq!(ran.trim(), key);
    }
    assert!(!tui.path("ran-other.txt").exists());
}

/// Change kind (`K`) turns a role profile into an SSO one, the region is
/// chosen from the known regions by typing and ↓, and the save leaves no
/// role key behind.
#[test]
#[ignore = "needs tmux: run scripts/test.sh"]
fn change_kind_and_the_region_chooser_write_an_sso_profile() {
    let tui = Tui::new(CONFIG, CREDENTIALS);
    tui.start(&[], &[]);
    tui.wait_for("5 profiles");
    tui.keys(&["/"]);
    tui.type_text("dev");
    tui.wait_for("1 of 5 profiles");
    tui.keys(&["Enter", "e"]);
    tui.wait_for(" Edit dev — s preview");
    tui.keys(&["K"]);
    tui.wait_for("Change the kind of dev");
    tui.keys(&["Enter"]); // SSO through an sso-session: the first offered
    tui.wait_for("(removed)");
    tui.keys(&["l"]); // sso_session: corp, the one there is
    tui.keys(&["j", "Enter"]);
    tui.type_text("111122223333");
    tui.keys(&["Enter", "j", "Enter"]);
    tui.type_text("Admin");
    tui.keys(&["Enter", "j", "Enter"]); // region, with the chooser
    tui.wait_for("▶ eu-west-1");
    tui.type_text("eu-c");
    tui.wait_for("▶ eu-central-1");
    tui.keys(&["Down"]);
    tui.wait_for("▶ eu-central-2");
    tui.keys(&["Enter"]);
    tui.wait_gone("typing: Enter keeps");
    tui.keys(&["s"]);
    tui.wait_for(" Save dev? ");
    tui.keys(&["y"]);
    tui.wait_for("saved");
    tui.keys(&["q"]);
    let after = tui.wait_exit();
    assert_terminal_given_back(&tui, &after, 0, "");
    let config = fs::read_to_string(tui.config_path()).unwrap();
    let dev = config
        .split("[profile dev]\n")
        .nth(1)
        .and_then(|s| s.split("\n[").next())
        .unwrap();
    for line in [
        "region = eu-central-2\n",
        "sso_session = corp\n",
        "sso_account_id = 111122223333\n",
        "sso_role_name = Admin\n",
        "    max_concurrent_requests = 20\n",
    ] {
        assert!(dev.contains(line), "{line:?} in:\n{dev}");
    }
    assert!(
        !dev.contains("role_arn") && !dev.contains("source_profile"),
        "{dev}"
    );
    assert!(config.starts_with("# Team profiles."), "{config}");
}
