//! Machinery for `tests/dropin.rs`: Debian's prebuilt libusrsctp example programs run inside a
//! private network namespace, each on the library of our choice, with their output captured.
//!
//! Every run gets its own namespace holding only `lo` (a socket bound to the wildcard address
//! would otherwise advertise and heartbeat the machine's other addresses). The namespace is held
//! by a small process started with `unshare --net`; the programs join it with `nsenter`, so all
//! processes of one run share it and runs never see each other's ports. Each program is started
//! as `nsenter --net=.. -- setpriv --pdeathsig KILL -- [stdbuf -oL -eL] <program> <args>`:
//! `setpriv` makes the program die with the test thread that started it, `stdbuf` makes its
//! `printf` output reach us line by line (a killed server would otherwise lose what it printed).
//!
//! The library is chosen with `LD_LIBRARY_PATH`: our build folder for ours, nothing for Debian's
//! (cargo sets `LD_LIBRARY_PATH` for tests to folders that hold our library, so it is removed).
//! Once a program runs, its `/proc/<pid>/maps` must show the library that was asked for.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Where Debian's package `libusrsctp-examples` installs the programs.
pub const PROGRAMS_DIR: &str = "/usr/lib/usrsctp";
/// Debian's library, found by the dynamic loader when `LD_LIBRARY_PATH` is unset.
pub const DEBIAN_LIB: &str = "/usr/lib/x86_64-linux-gnu/libusrsctp.so.2";

/// Bytes of the stack's own debug lines (`[S][..]`, printed by programs that turn SCTP_DEBUG on)
/// kept per stream; later ones are counted and dropped unless they hold a watched string.
const DEBUG_KEEP: usize = 1 << 20;
/// Lines of a stream shown in a failure report: the first and the last ones.
const REPORT_HEAD: usize = 120;
const REPORT_TAIL: usize = 250;

/// Which libusrsctp.so.2 a program is run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lib {
    Debian,
    Ours,
}

impl Lib {
    pub fn label(self) -> &'static str {
        match self {
            Lib::Debian => "Debian's lib",
            Lib::Ours => "our lib",
        }
    }
}

/// The libraries of the two sides of a two-program scenario.
#[derive(Clone, Copy, Debug)]
pub struct Pair {
    pub server: Lib,
    pub client: Lib,
}

impl Pair {
    pub const DEBIAN: Pair = Pair {
        server: Lib::Debian,
        client: Lib::Debian,
    };
    pub const OURS: Pair = Pair {
        server: Lib::Ours,
        client: Lib::Ours,
    };
    pub const OURS_SERVER: Pair = Pair {
        server: Lib::Ours,
        client: Lib::Debian,
    };
    pub const OURS_CLIENT: Pair = Pair {
        server: Lib::Debian,
        client: Lib::Ours,
    };
}

/// What the machine offers; `None` from [`env`] means the drop-in tests are skipped.
pub struct Env {
    ours: OnceLock<PathBuf>,
}

impl Env {
    /// The folder holding our `libusrsctp.so.2`, built on first use.
    pub fn our_lib_dir(&self) -> &Path {
        self.ours.get_or_init(our_lib_dir)
    }
}

/// The environment, or `None` after printing why the drop-in tests cannot run here.
pub fn env() -> Option<&'static Env> {
    static ENV: OnceLock<Result<Env, String>> = OnceLock::new();
    match ENV.get_or_init(probe) {
        Ok(env) => Some(env),
        Err(why) => {
            eprintln!("skipped: {why}");
            None
        }
    }
}

fn probe() -> Result<Env, String> {
    if !cfg!(target_os = "linux") {
        return Err("the drop-in tests use Linux network namespaces".into());
    }
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    let euid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("?");
    if euid != "0" {
        return Err(format!(
            "not root (euid {euid}): network namespaces need root"
        ));
    }
    if !Path::new(PROGRAMS_DIR).is_dir() {
        return Err(format!(
            "{PROGRAMS_DIR} is absent: install Debian's libusrsctp-examples"
        ));
    }
    if !Path::new(DEBIAN_LIB).exists() {
        return Err(format!("{DEBIAN_LIB} is absent: install libusrsctp2"));
    }
    for tool in ["unshare", "nsenter", "setpriv", "stdbuf", "ip"] {
        if find_in_path(tool).is_none() {
            return Err(format!("`{tool}` is not on PATH"));
        }
    }
    Netns::new().map(drop)?;
    Ok(Env {
        ours: OnceLock::new(),
    })
}

fn find_in_path(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/sbin".into()])
        .map(|dir| dir.join(tool))
        .find(|p| p.is_file())
}

/// The folder holding our libusrsctp.so and its SONAME link, built for this test run in the
/// same profile and target folder (`cargo test` builds the rlib only), as `tests/c_abi.rs` does.
fn our_lib_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // <target>/<profile>/deps/dropin-<hash>
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target profile dir")
        .to_path_buf();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--lib", "--manifest-path"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"));
    if dir.file_name().is_some_and(|n| n == "release") {
        cmd.arg("--release");
    }
    if let Some(target) = dir.parent() {
        cmd.arg("--target-dir").arg(target);
    }
    let status = cmd.status().expect("cargo build");
    assert!(status.success(), "building the shared library failed");
    assert!(
        dir.join("libusrsctp.so.2").exists(),
        "{} lacks libusrsctp.so.2",
        dir.display()
    );
    dir
}

/// A network namespace with only `lo`, up. It lives as long as its holder process (which also
/// ends by itself when the test process goes away: it waits for the end of its stdin).
pub struct Netns {
    holder: Child,
    path: String,
}

impl Netns {
    pub fn new() -> Result<Netns, String> {
        let mut holder = Command::new("unshare")
            .args(["--net", "--", "sh", "-c"])
            .arg("ip link set lo up && echo ready && exec cat >/dev/null")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("unshare: {e}"))?;
        let mut line = String::new();
        let mut out = BufReader::new(holder.stdout.take().expect("piped stdout"));
        let _ = out.read_line(&mut line);
        if line.trim() != "ready" {
            let _ = holder.kill();
            let _ = holder.wait();
            let mut err = String::new();
            if let Some(mut e) = holder.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            return Err(format!(
                "cannot create a network namespace with `unshare --net`: {}",
                err.trim()
            ));
        }
        let path = format!("/proc/{}/ns/net", holder.id());
        Ok(Netns { holder, path })
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = self.holder.kill();
        let _ = self.holder.wait();
    }
}

/// How a program is started.
#[derive(Clone, Copy)]
pub struct Options {
    /// Run under `stdbuf -oL -eL`. Off for programs whose output is huge and flushed by the
    /// program itself where it matters (tsctp).
    pub line_buffered: bool,
    /// Strings whose lines are kept even beyond the debug-line budget.
    pub watch: &'static [&'static str],
}

impl Default for Options {
    fn default() -> Self {
        Options {
            line_buffered: true,
            watch: &[],
        }
    }
}

/// Captured output of one program.
#[derive(Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    debug_kept: [usize; 2],
    debug_dropped: [usize; 2],
    open_streams: u8,
}

struct Capture {
    output: Mutex<Output>,
    changed: Condvar,
}

/// One running program.
struct Proc {
    role: String,
    lib: Lib,
    program: String,
    command: String,
    child: Child,
    stdin: Option<ChildStdin>,
    capture: Arc<Capture>,
    readers: Vec<JoinHandle<()>>,
    status: Option<ExitStatus>,
    started: Instant,
    ended: Option<Duration>,
}

impl Proc {
    fn poll_exit(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            if let Ok(Some(status)) = self.child.try_wait() {
                self.status = Some(status);
                self.ended = Some(self.started.elapsed());
            }
        }
        self.status
    }

    fn stop(&mut self) {
        self.stdin = None;
        if self.poll_exit().is_none() {
            let _ = self.child.kill();
            if let Ok(status) = self.child.wait() {
                self.status = Some(status);
            }
        }
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A handle on a program of a [`Run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct P(usize);

/// One scenario run: a namespace, the programs started in it, and the checks on them. A failed
/// check stops every program and panics with the output of all of them.
pub struct Run {
    title: String,
    env: &'static Env,
    procs: Vec<Proc>,
    notes: Vec<String>,
    started: Instant,
    // Declared last: dropped after the programs.
    netns: Netns,
}

impl Run {
    /// A run in a fresh namespace, or `None` (after saying why) when the machine cannot do it.
    pub fn new(title: &str) -> Option<Run> {
        let env = env()?;
        let netns = Netns::new().unwrap_or_else(|e| panic!("{title}: {e}"));
        Some(Run {
            title: title.to_string(),
            env,
            procs: Vec::new(),
            notes: Vec::new(),
            started: Instant::now(),
            netns,
        })
    }

    /// Starts `program` (a file of [`PROGRAMS_DIR`]) on `lib` and waits until it has loaded
    /// libusrsctp, which must be the one asked for.
    pub fn start(&mut self, role: &str, lib: Lib, program: &str, args: &[&str]) -> P {
        self.start_with(role, lib, program, args, Options::default())
    }

    pub fn start_with(
        &mut self,
        role: &str,
        lib: Lib,
        program: &str,
        args: &[&str],
        options: Options,
    ) -> P {
        let path = Path::new(PROGRAMS_DIR).join(program);
        let mut cmd = Command::new("nsenter");
        cmd.arg(format!("--net={}", self.netns.path)).args([
            "--",
            "setpriv",
            "--pdeathsig",
            "KILL",
            "--",
        ]);
        if options.line_buffered {
            cmd.args(["stdbuf", "-oL", "-eL"]);
        }
        cmd.arg(&path).args(args);
        cmd.env_remove("LD_LIBRARY_PATH").env_remove("LD_PRELOAD");
        let mut command = String::new();
        if lib == Lib::Ours {
            let dir = self.env.our_lib_dir();
            cmd.env("LD_LIBRARY_PATH", dir);
            let _ = write!(command, "LD_LIBRARY_PATH={} ", dir.display());
        }
        command.push_str(&path.display().to_string());
        for a in args {
            command.push(' ');
            command.push_str(a);
        }
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("{}: starting {command}: {e}", self.title));
        let capture = Arc::new(Capture {
            output: Mutex::new(Output {
                open_streams: 2,
                ..Output::default()
            }),
            changed: Condvar::new(),
        });
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let readers = vec![
            spawn_reader(stdout, 0, capture.clone(), options.watch),
            spawn_reader(stderr, 1, capture.clone(), options.watch),
        ];
        let stdin = child.stdin.take();
        self.procs.push(Proc {
            role: role.to_string(),
            lib,
            program: program.to_string(),
            command,
            child,
            stdin,
            capture,
            readers,
            status: None,
            started: Instant::now(),
            ended: None,
        });
        let p = P(self.procs.len() - 1);
        self.check_library(p, &path);
        p
    }

    /// Waits until the program runs `path` with libusrsctp mapped, then checks which library
    /// that is. A program that ends first is not checked (what it printed will tell).
    fn check_library(&mut self, p: P, path: &Path) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let pid = self.procs[p.0].child.id();
        let expected = match self.procs[p.0].lib {
            Lib::Debian => PathBuf::from(DEBIAN_LIB),
            Lib::Ours => self.env.our_lib_dir().join("libusrsctp.so.2"),
        };
        let expected = std::fs::canonicalize(&expected).unwrap_or(expected);
        loop {
            if self.procs[p.0].poll_exit().is_some() {
                return;
            }
            let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok();
            if exe.as_deref() == Some(path) {
                let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap_or_default();
                let mapped = maps
                    .lines()
                    .filter(|l| l.contains("libusrsctp"))
                    .find_map(|l| l.find('/').map(|at| PathBuf::from(&l[at..])));
                if let Some(mapped) = mapped {
                    let real = std::fs::canonicalize(&mapped).unwrap_or(mapped);
                    if real != expected {
                        self.fail(&format!(
                            "{} runs on {} instead of {}",
                            self.name(p),
                            real.display(),
                            expected.display()
                        ));
                    }
                    return;
                }
            }
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "{} did not load libusrsctp within 10 s",
                    self.name(p)
                ));
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn name(&self, p: P) -> String {
        let proc = &self.procs[p.0];
        format!("{} `{}` ({})", proc.role, proc.program, proc.lib.label())
    }

    /// The process id of a program.
    pub fn pid(&self, p: P) -> u32 {
        self.procs[p.0].child.id()
    }

    /// Records a line for the report (shown on failure and with `--nocapture`).
    pub fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    /// Waits until the program has bound UDP `port` (in its namespace, IPv4 or IPv6), then a
    /// little more so that it can finish setting up its SCTP socket.
    pub fn wait_udp_port(&mut self, p: P, port: u16, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let pid = self.pid(p);
        loop {
            let bound = ["udp", "udp6"].iter().any(|file| {
                let table =
                    std::fs::read_to_string(format!("/proc/{pid}/net/{file}")).unwrap_or_default();
                table.lines().skip(1).any(|l| {
                    l.split_whitespace()
                        .nth(1)
                        .and_then(|local| local.rsplit(':').next())
                        .and_then(|hex| u16::from_str_radix(hex, 16).ok())
                        == Some(port)
                })
            });
            if bound {
                std::thread::sleep(Duration::from_millis(100));
                return;
            }
            if self.procs[p.0].poll_exit().is_some() {
                self.fail(&format!(
                    "{} ended before binding UDP port {port}",
                    self.name(p)
                ));
            }
            if Instant::now() >= deadline {
                self.fail(&format!(
                    "{} did not bind UDP port {port} within {timeout:?}",
                    self.name(p)
                ));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Writes `line` and a newline to the program's stdin.
    pub fn send_line(&mut self, p: P, line: &str) {
        let result = match self.procs[p.0].stdin.as_mut() {
            Some(stdin) => stdin
                .write_all(format!("{line}\n").as_bytes())
                .and_then(|()| stdin.flush()),
            None => Ok(()),
        };
        if let Err(e) = result {
            // Most likely the program has ended: say so rather than "broken pipe".
            std::thread::sleep(Duration::from_millis(50));
            let what = match self.procs[p.0].poll_exit() {
                Some(status) => {
                    format!("{} ended ({status}) before reading {line:?}", self.name(p))
                }
                None => format!("writing to the stdin of {}: {e}", self.name(p)),
            };
            self.fail(&what);
        }
    }

    /// Closes the program's stdin (end of file for it).
    pub fn close_stdin(&mut self, p: P) {
        self.procs[p.0].stdin = None;
    }

    /// Waits until `done` holds for the program's output. Fails when the program's output ends
    /// first or the time runs out.
    pub fn wait_for(
        &mut self,
        p: P,
        what: &str,
        timeout: Duration,
        done: impl Fn(&Output) -> bool,
    ) {
        let deadline = Instant::now() + timeout;
        let capture = self.procs[p.0].capture.clone();
        let mut output = capture.output.lock().unwrap();
        loop {
            if done(&output) {
                return;
            }
            if output.open_streams == 0 {
                drop(output);
                self.fail(&format!(
                    "{}: the output ended without {what}",
                    self.name(p)
                ));
            }
            let now = Instant::now();
            if now >= deadline {
                drop(output);
                self.fail(&format!("{}: no {what} within {timeout:?}", self.name(p)));
            }
            output = capture
                .changed
                .wait_timeout(output, deadline - now)
                .unwrap()
                .0;
        }
    }

    /// Whether `done` comes to hold for the program's output within `timeout` (no failure).
    pub fn output_within(&self, p: P, timeout: Duration, done: impl Fn(&Output) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        let capture = &self.procs[p.0].capture;
        let mut output = capture.output.lock().unwrap();
        loop {
            if done(&output) {
                return true;
            }
            let now = Instant::now();
            if now >= deadline || output.open_streams == 0 {
                return false;
            }
            output = capture
                .changed
                .wait_timeout(output, deadline - now)
                .unwrap()
                .0;
        }
    }

    /// Waits until the program's stdout holds `needle`.
    pub fn expect_stdout(&mut self, p: P, needle: &str, timeout: Duration) {
        self.wait_for(p, &format!("{needle:?} on stdout"), timeout, |o| {
            o.stdout.contains(needle)
        });
    }

    /// Waits for the program to end; fails if it does not within `timeout`.
    pub fn wait_exit(&mut self, p: P, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.procs[p.0].poll_exit() {
                // Let the readers take the last bytes.
                for reader in self.procs[p.0].readers.drain(..) {
                    let _ = reader.join();
                }
                return status;
            }
            if Instant::now() >= deadline {
                self.fail(&format!("{} did not end within {timeout:?}", self.name(p)));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits for the program to end with status 0.
    pub fn expect_success(&mut self, p: P, timeout: Duration) {
        let status = self.wait_exit(p, timeout);
        if !status.success() {
            self.fail(&format!("{} ended with {status}", self.name(p)));
        }
    }

    /// Has the program ended (without waiting)?
    pub fn has_ended(&mut self, p: P) -> bool {
        self.procs[p.0].poll_exit().is_some()
    }

    /// Stops the program (SIGKILL unless it has ended) and waits for the rest of its output.
    pub fn stop(&mut self, p: P) {
        self.procs[p.0].stop();
    }

    /// A copy of the program's stdout so far.
    pub fn stdout(&self, p: P) -> String {
        self.procs[p.0]
            .capture
            .output
            .lock()
            .unwrap()
            .stdout
            .clone()
    }

    /// A copy of the program's stderr so far.
    pub fn stderr(&self, p: P) -> String {
        self.procs[p.0]
            .capture
            .output
            .lock()
            .unwrap()
            .stderr
            .clone()
    }

    /// Fails the run with `what` unless `ok`.
    pub fn check(&mut self, ok: bool, what: &str) {
        if !ok {
            self.fail(what);
        }
    }

    /// Stops every program and panics with `what` and everything they printed.
    pub fn fail(&mut self, what: &str) -> ! {
        for proc in &mut self.procs {
            proc.stop();
        }
        panic!("{}: {what}\n{}", self.title, self.report());
    }

    /// Stops every program and prints the report (visible with `--nocapture`).
    pub fn finish(mut self) {
        for proc in &mut self.procs {
            proc.stop();
        }
        println!(
            "{}: passed in {:.1} s",
            self.title,
            self.started.elapsed().as_secs_f64()
        );
        for note in &self.notes {
            println!("  {note}");
        }
    }

    fn report(&self) -> String {
        let mut r = String::new();
        for note in &self.notes {
            let _ = writeln!(r, "note: {note}");
        }
        for proc in &self.procs {
            let output = proc.capture.output.lock().unwrap();
            let status = match (proc.status, proc.ended) {
                (Some(s), Some(t)) => format!("{s} after {:.2} s", t.as_secs_f64()),
                (Some(s), None) => format!("{s} (stopped by the test)"),
                (None, _) => "still running".to_string(),
            };
            let _ = writeln!(
                r,
                "\n===== {} `{}` on {}: {status}\n$ {}",
                proc.role,
                proc.program,
                proc.lib.label(),
                proc.command
            );
            for (i, (name, text)) in [("stdout", &output.stdout), ("stderr", &output.stderr)]
                .into_iter()
                .enumerate()
            {
                let dropped = output.debug_dropped[i];
                let extra = if dropped > 0 {
                    format!(", {dropped} later [S] debug lines dropped")
                } else {
                    String::new()
                };
                let _ = writeln!(r, "----- {name} ({} bytes{extra})", text.len());
                r.push_str(&head_and_tail(text));
            }
        }
        r
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        for proc in &mut self.procs {
            proc.stop();
        }
    }
}

fn head_and_tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    if lines.len() <= REPORT_HEAD + REPORT_TAIL {
        for l in &lines {
            let _ = writeln!(out, "{l}");
        }
    } else {
        for l in &lines[..REPORT_HEAD] {
            let _ = writeln!(out, "{l}");
        }
        let _ = writeln!(
            out,
            "[... {} lines left out ...]",
            lines.len() - REPORT_HEAD - REPORT_TAIL
        );
        for l in &lines[lines.len() - REPORT_TAIL..] {
            let _ = writeln!(out, "{l}");
        }
    }
    out
}

fn spawn_reader(
    mut stream: impl Read + Send + 'static,
    index: usize,
    capture: Arc<Capture>,
    watch: &'static [&'static str],
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut filter = Filter {
            index,
            watch,
            line: Vec::new(),
            state: LineState::Start,
        };
        let mut buf = vec![0; 1 << 16];
        loop {
            let n = match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let mut output = capture.output.lock().unwrap();
            filter.feed(&buf[..n], &mut output);
            capture.changed.notify_all();
        }
        let mut output = capture.output.lock().unwrap();
        filter.end(&mut output);
        output.open_streams -= 1;
        capture.changed.notify_all();
    })
}

#[derive(PartialEq)]
enum LineState {
    /// At the start of a line, fewer than 4 of its bytes seen (held in `line`).
    Start,
    /// In a line that is kept: bytes pass as they come, newline or not (a prompt-less program
    /// such as a chargen client writes long runs without one).
    Pass,
    /// In a debug line of the stack (`[S][..`), collected whole in `line` before deciding.
    Debug,
}

/// Passes a stream on to an [`Output`], less the stack's debug lines beyond [`DEBUG_KEEP`]
/// bytes (unless they hold a watched string).
struct Filter {
    index: usize,
    watch: &'static [&'static str],
    line: Vec<u8>,
    state: LineState,
}

impl Filter {
    fn feed(&mut self, bytes: &[u8], output: &mut Output) {
        for piece in bytes.split_inclusive(|&b| b == b'\n') {
            let ends = piece.last() == Some(&b'\n');
            match self.state {
                LineState::Pass => self.pass(piece, output),
                LineState::Debug => self.line.extend_from_slice(piece),
                LineState::Start => {
                    self.line.extend_from_slice(piece);
                    if self.line.len() >= 4 || ends {
                        if self.line.starts_with(b"[S][") {
                            self.state = LineState::Debug;
                        } else {
                            let line = std::mem::take(&mut self.line);
                            self.pass(&line, output);
                            self.state = LineState::Pass;
                        }
                    }
                }
            }
            if ends {
                self.end_line(output);
            }
        }
    }

    fn end_line(&mut self, output: &mut Output) {
        let line = std::mem::take(&mut self.line);
        if self.state == LineState::Debug {
            let text = String::from_utf8_lossy(&line);
            let over = output.debug_kept[self.index] + line.len() > DEBUG_KEEP;
            if over && !self.watch.iter().any(|w| text.contains(w)) {
                output.debug_dropped[self.index] += 1;
            } else {
                output.debug_kept[self.index] += line.len();
                self.pass(&line, output);
            }
        } else {
            self.pass(&line, output);
        }
        self.state = LineState::Start;
    }

    /// The end of the stream: a last line without newline is taken as it is.
    fn end(&mut self, output: &mut Output) {
        if !self.line.is_empty() {
            self.end_line(output);
        }
    }

    fn pass(&self, bytes: &[u8], output: &mut Output) {
        let text = if self.index == 0 {
            &mut output.stdout
        } else {
            &mut output.stderr
        };
        text.push_str(&String::from_utf8_lossy(bytes));
    }
}

/// Whether `text` matches `pattern`, where each `{}` of the pattern stands for one or more
/// characters.
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split("{}").collect();
    let (first, rest) = parts.split_first().expect("split yields one part");
    let Some(mut tail) = text.strip_prefix(first) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return tail.is_empty();
    };
    for part in middle {
        // One character at least for the wildcard before `part`.
        let Some(at) = tail.get(1..).and_then(|t| t.find(part)) else {
            return false;
        };
        tail = &tail[1 + at + part.len()..];
    }
    tail.len() > last.len() && tail.ends_with(last)
}

/// The lines of `text` that match `pattern` (see [`glob`]), also from the middle of a line: a
/// program's line may be glued to the end of a debug line another of its threads was writing
/// (`[S][0.256] recv_function_udp: Received 44 bytes.Msg of length 16 received ...`).
pub fn matching_lines<'t>(text: &'t str, pattern: &str) -> Vec<&'t str> {
    let first = pattern.split("{}").next().unwrap_or_default();
    text.lines()
        .filter(|l| {
            glob(pattern, l)
                || (!first.is_empty()
                    && l.match_indices(first)
                        .any(|(at, _)| at > 0 && glob(pattern, &l[at..])))
        })
        .collect()
}

/// The thread ids of a process other than its main thread, if it still runs.
pub fn thread_ids(pid: u32) -> Option<HashSet<u32>> {
    let dir = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    Some(
        dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .filter(|&tid| tid != pid)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::{glob, Filter, LineState, Output};

    fn filtered(pieces: &[&str]) -> Vec<String> {
        let mut filter = Filter {
            index: 0,
            watch: &[],
            line: Vec::new(),
            state: LineState::Start,
        };
        let mut output = Output::default();
        let mut seen = Vec::new();
        for piece in pieces {
            filter.feed(piece.as_bytes(), &mut output);
            seen.push(output.stdout.clone());
        }
        filter.end(&mut output);
        seen.push(output.stdout);
        seen
    }

    #[test]
    fn filter_passes_partial_lines_and_holds_debug_lines_whole() {
        assert_eq!(
            filtered(&["abcd", "ef\n[S][0.1] x", " y\nz"]),
            [
                "abcd",
                "abcdef\n",
                "abcdef\n[S][0.1] x y\n",
                "abcdef\n[S][0.1] x y\nz"
            ]
        );
        assert_eq!(filtered(&["ab", "c", "d"]), ["", "", "abcd", "abcd"]);
    }

    #[test]
    fn matching_lines_finds_a_line_glued_to_a_debug_line() {
        let text = "[S][0.2] Received 44 bytes.Msg 1 of 2.\nMsg 2 of 2.\nno Msg here\n";
        assert_eq!(
            super::matching_lines(text, "Msg {} of 2."),
            ["[S][0.2] Received 44 bytes.Msg 1 of 2.", "Msg 2 of 2."]
        );
    }

    #[test]
    fn glob_matches_wildcards() {
        assert!(glob("a{}c", "abc"));
        assert!(glob("a{}c", "abbbc"));
        assert!(!glob("a{}c", "ac"));
        assert!(glob("x {} y {}.", "x 1 y 22."));
        assert!(!glob("x {} y {}.", "x 1 y ."));
        assert!(glob("plain", "plain"));
        assert!(!glob("plain", "plainer"));
        assert!(glob("{} end", "the end"));
    }
}
