//! The shell function end to end: bash, zsh and fish, each started in a real
//! pseudo-terminal (a private tmux server per test) with an rc file that
//! evaluates `rolecall init SHELL`, as a user's would. Keys are typed into the
//! shell; after each switch the shell itself writes what its next command sees
//! (`env`, the `AWS_*` and `ROLECALL_*` lines) and the function's exit status,
//! and the test compares that with exactly what is expected: switching by name
//! (fuzzy), in the picker (most recently used first), `rc -`, `rc --clear`,
//! `--mode env`, and a config path full of shell syntax that must arrive
//! verbatim and run nothing.
//!
//! The shells and tmux come from `ROLECALL_TEST_BASH`, `_ZSH`, `_FISH` and
//! `_TMUX` (`scripts/test.sh` installs the Debian packages and sets them).

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{peer, rolecall_bin};

/// How long to wait for the shell or the picker.
const WAIT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);
const TARGET: &str = "rolecall-shell";

const CONFIG: &str = "\
[default]
region = us-east-1

[profile alpha]
region = eu-west-1

[profile dev]
role_arn = arn:aws:iam::123456789012:role/Developer
source_profile = base

[profile prod]
role_arn = arn:aws:iam::210987654321:role/ReadOnly
source_profile = base
";

const CREDENTIALS: &str = "\
[base]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
";

/// A directory name made of what shells interpret: quotes, `$( )`, backticks,
/// globs, `;`, a newline-free mix that must reach the environment unchanged.
const SPECIAL_DIR: &str = "it's \"q\" $(touch pwned) `touch pwned2` *;&|";

/// A shell in its own tmux server, with a home and XDG directories in a
/// temporary directory. Dropping it kills the server.
struct Pane {
    dir: tempfile::TempDir,
    tmux: PathBuf,
    shell: &'static str,
}

impl Pane {
    fn new(shell: &'static str) -> Pane {
        let tmux = peer("TMUX");
        let program = peer(&shell.to_ascii_uppercase());
        let dir = tempfile::Builder::new()
            .prefix("rolecall-shell-")
            .tempdir()
            .expect("temp dir");
        let pane = Pane { dir, tmux, shell };
        for sub in ["home/.aws", "state/rolecall", "out", "zdot"] {
            fs::create_dir_all(pane.path(sub)).expect("create dirs");
        }
        fs::write(pane.path("home/.aws/config"), CONFIG).unwrap();
        fs::write(pane.path("home/.aws/credentials"), CREDENTIALS).unwrap();
        // prod was used last (in the future, so the uses below stay older).
        fs::write(
            pane.path("state/rolecall/recent.json"),
            r#"{"prod": "2099-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        let special = pane.path(SPECIAL_DIR);
        fs::create_dir_all(&special).unwrap();
        fs::write(
            special.join("config"),
            "[profile a+b%c@d:e/f.g_h-i]\nregion = ap-south-1\n",
        )
        .unwrap();
        let bin = rolecall_bin().display().to_string();
        let (rc_file, argv): (PathBuf, Vec<String>) = match shell {
            "bash" => (
                pane.path("bashrc"),
                vec![
                    program.display().to_string(),
                    "--noprofile".into(),
                    "--rcfile".into(),
                    pane.path("bashrc").display().to_string(),
                    "-i".into(),
                ],
            ),
            "zsh" => (
                pane.path("zdot/.zshrc"),
                vec![program.display().to_string(), "-i".into()],
            ),
            _ => (
                pane.path("config.fish"),
                vec![
                    program.display().to_string(),
                    "--no-config".into(),
                    "-C".into(),
                    format!(
                        "source {}",
                        sh_quote(&pane.path("config.fish").display().to_string())
                    ),
                    "-i".into(),
                ],
            ),
        };
        let rc = match shell {
            "fish" => format!(
                "{bin} init fish | source\n\
                 function dump\n    set -l s $status\n    begin\n        echo \"status=$s\"\n        \
                 env | grep -E '^(AWS_|ROLECALL_)' | env LC_ALL=C sort\n    end > $OUT/$argv[1].tmp\n    \
                 mv $OUT/$argv[1].tmp $OUT/$argv[1]\nend\n",
                bin = sh_quote(&bin)
            ),
            _ => format!(
                "PS1='$ '\n{completion}eval \"$({bin} init {shell})\"\n\
                 dump() {{ s=$?; {{ echo \"status=$s\"; env | grep -E '^(AWS_|ROLECALL_)' | LC_ALL=C sort; }} \
                 > \"$OUT/$1.tmp\"; mv \"$OUT/$1.tmp\" \"$OUT/$1\"; }}\n",
                bin = sh_quote(&bin),
                // zsh completes only after compinit; bash also gets rolecall's
                // own completion (rolecall is on PATH in the pane).
                completion = if shell == "zsh" {
                    "autoload -Uz compinit && compinit -u\n"
                } else {
                    "eval \"$(rolecall completions bash)\"\n"
                },
            ),
        };
        fs::write(&rc_file, rc).unwrap();
        let mut args = vec![
            "new-session".to_string(),
            "-d".into(),
            "-s".into(),
            TARGET.into(),
            "-x".into(),
            "120".into(),
            "-y".into(),
            "30".into(),
        ];
        args.extend(argv);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        pane.tmux(&args);
        pane
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// tmux on this test's server, with a clean environment that the server
    /// passes on to the shell: the files at their default place, the user's own
    /// keys and region already exported.
    fn tmux(&self, args: &[&str]) -> String {
        let mut cmd = Command::new(&self.tmux);
        cmd.env_clear()
            .env(
                "PATH",
                format!(
                    "{}:/usr/local/bin:/usr/bin:/bin",
                    rolecall_bin().parent().unwrap().display()
                ),
            )
            .env("HOME", self.path("home"))
            .env("ZDOTDIR", self.path("zdot"))
            .env("XDG_CONFIG_HOME", self.path("xdg-config"))
            .env("XDG_STATE_HOME", self.path("state"))
            .env("XDG_CACHE_HOME", self.path("cache"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("OUT", self.path("out"))
            .env("TEST_SPECIAL_CONFIG", self.path(SPECIAL_DIR).join("config"))
            .env("AWS_ACCESS_KEY_ID", "AKIAMINE")
            .env("AWS_SECRET_ACCESS_KEY", "mine-secret")
            .env("AWS_REGION", "us-west-1")
            .env("LC_ALL", "C.UTF-8")
            .env("TERM", "xterm-256color")
            .arg("-f")
            .arg("/dev/null")
            .arg("-S")
            .arg(self.path("tmux.sock"))
            .args(args)
            .current_dir(self.path("home"));
        let out = cmd.output().expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", TARGET])
    }

    fn alternate_screen(&self) -> bool {
        self.tmux(&["display-message", "-p", "-t", TARGET, "#{alternate_on}"])
            .trim()
            == "1"
    }

    #[track_caller]
    fn wait(&self, what: &str, ok: impl Fn(&Pane) -> bool) {
        let deadline = Instant::now() + WAIT;
        while !ok(self) {
            if Instant::now() >= deadline {
                panic!(
                    "{}: waited {WAIT:?} for {what}; the screen shows:\n{}",
                    self.shell,
                    self.screen()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Types a command line and Enter.
    fn run(&self, line: &str) {
        self.tmux(&["send-keys", "-t", TARGET, "-l", line]);
        self.tmux(&["send-keys", "-t", TARGET, "Enter"]);
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", TARGET];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Runs `line`, then `dump STEP`; returns what the shell wrote: the exit
    /// status of `line` and the variables.
    #[track_caller]
    fn step(&self, step: &str, line: &str) -> String {
        self.run(&format!("{line}; dump {step}"));
        self.dumped(step)
    }

    #[track_caller]
    fn dumped(&self, step: &str) -> String {
        let file = self.path("out").join(step);
        self.wait(&format!("dump {step}"), |_| file.exists());
        fs::read_to_string(&file).unwrap()
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new(&self.tmux)
            .arg("-S")
            .arg(self.path("tmux.sock"))
            .arg("kill-server")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The dump expected: `status=0` and these variables, sorted.
fn expect(vars: &[&str]) -> String {
    let mut vars = vars.to_vec();
    vars.sort();
    format!("status=0\n{}\n", vars.join("\n"))
}

const MINE: &[&str] = &[
    "AWS_ACCESS_KEY_ID=AKIAMINE",
    "AWS_REGION=us-west-1",
    "AWS_SECRET_ACCESS_KEY=mine-secret",
];

fn profile(name: &str) -> Vec<String> {
    vec![
        format!("AWS_DEFAULT_PROFILE={name}"),
        format!("AWS_PROFILE={name}"),
        "AWS_REGION=us-west-1".to_string(),
    ]
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// The whole scenario, in one shell.
fn switches_in(shell: &'static str) {
    let pane = Pane::new(shell);
    // The rc file has run: the shell is ready when `dump` works.
    assert_eq!(pane.step("0", "true"), expect(MINE), "{shell}: start");

    // By name, fuzzily: the keys that would win over the profile are unset.
    assert_eq!(
        pane.step("1", "rc dv"),
        expect(&strs(&profile("dev"))),
        "{shell}: rc dv"
    );

    // In the picker, which draws on the terminal while the shell evaluates
    // only the result: the most recently used profile (prod) comes first.
    pane.run("rc");
    pane.wait("the picker", |p| p.screen().contains("Pick a profile"));
    pane.keys(&["Enter"]);
    pane.wait("the picker to close", |p| !p.alternate_screen());
    pane.run("dump 2");
    assert_eq!(
        pane.dumped("2"),
        expect(&strs(&profile("prod"))),
        "{shell}: picker"
    );

    // Back, and back again.
    assert_eq!(
        pane.step("3", "rc -"),
        expect(&strs(&profile("dev"))),
        "{shell}: rc -"
    );
    assert_eq!(
        pane.step("4", "rc -"),
        expect(&strs(&profile("prod"))),
        "{shell}: rc - again"
    );

    // Clear: the user's own variables are back, exactly.
    assert_eq!(
        pane.step("5", "rc --clear"),
        expect(MINE),
        "{shell}: --clear"
    );

    // A config file whose path is shell syntax, and a profile name using every
    // character the SDKs allow in one: both arrive verbatim, nothing runs.
    let special = pane.path(SPECIAL_DIR).join("config").display().to_string();
    let name = "a+b%c@d:e/f.g_h-i";
    let mut want = profile(name);
    want.push(format!("AWS_CONFIG_FILE={special}"));
    assert_eq!(
        pane.step("6", "rc --config \"$TEST_SPECIAL_CONFIG\" abc"),
        expect(&strs(&want)),
        "{shell}: special characters"
    );
    for pwned in ["pwned", "pwned2"] {
        assert!(!pane.path(pwned).exists() && !pane.path(&format!("home/{pwned}")).exists());
    }

    // Credentials in the environment; the prompt names their profile.
    let got = pane.step(
        "7",
        &format!(
            "rc --mode env base; {} prompt > $OUT/prompt",
            sh_quote(&rolecall_bin().display().to_string())
        ),
    );
    assert_eq!(
        got,
        expect(&[
            "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
            "AWS_REGION=us-west-1",
            "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "ROLECALL_KEYS_PROFILE=base",
        ]),
        "{shell}: --mode env"
    );
    assert_eq!(
        fs::read_to_string(pane.path("out/prompt")).unwrap(),
        "base\n"
    );
    assert_eq!(
        pane.step("8", "rc --clear"),
        expect(MINE),
        "{shell}: --clear after env"
    );

    // A name that matches nothing changes nothing and fails.
    let failed = pane.step("9", "rc nosuchprofile");
    assert!(failed.starts_with("status=1\n"), "{shell}: {failed}");
    assert_eq!(failed.replacen("status=1", "status=0", 1), expect(MINE));

    // Tab completes the function's argument with profile names from the files.
    pane.tmux(&["send-keys", "-t", TARGET, "-l", "rc pro"]);
    pane.keys(&["Tab"]);
    pane.wait("rc pro<Tab> to complete", |p| {
        p.screen().contains("rc prod")
    });
    pane.run("; dump 10");
    assert_eq!(
        pane.dumped("10"),
        expect(&strs(&profile("prod"))),
        "{shell}: completion"
    );
    if shell == "bash" {
        // rolecall's own completion, dynamic: profile names from the files.
        pane.tmux(&["send-keys", "-t", TARGET, "-l", "rolecall inspect alp"]);
        pane.keys(&["Tab"]);
        pane.wait("rolecall inspect alp<Tab>", |p| {
            p.screen().contains("rolecall inspect alpha")
        });
        pane.keys(&["C-u"]);
    }
    assert_eq!(
        pane.step("11", "rc --clear"),
        expect(MINE),
        "{shell}: last --clear"
    );

    // Switching recorded the uses (the picker's recent order).
    let recent = fs::read_to_string(pane.path("state/rolecall/recent.json")).unwrap();
    assert!(
        recent.contains("\"dev\"") && recent.contains(name),
        "{recent}"
    );
}

#[test]
#[ignore = "needs tmux, bash, zsh and fish: run scripts/test.sh"]
fn bash() {
    switches_in("bash");
}

#[test]
#[ignore = "needs tmux, bash, zsh and fish: run scripts/test.sh"]
fn zsh() {
    switches_in("zsh");
}

#[test]
#[ignore = "needs tmux, bash, zsh and fish: run scripts/test.sh"]
fn fish() {
    switches_in("fish");
}
