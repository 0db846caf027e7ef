// Package pglocal runs a private PostgreSQL server for `bayu demo` when no
// server is reachable but the PostgreSQL binaries are installed. The cluster
// lives in a data folder of bayu's own, listens only on 127.0.0.1 and trusts
// every local connection, so it is meant for demos and trials, not for
// production data shared with other users of the machine.
package pglocal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"
)

const (
	// portFile remembers the chosen port inside the data folder, so that the
	// demo keeps the same URL across restarts.
	portFile = "bayu.port"
	// logFile is the server log, kept with the data so it is easy to find.
	logFile = "server.log"
	// superuser is the role initdb creates; -U makes it independent of
	// whichever OS user happens to run initdb.
	superuser = "postgres"
	// database is the database bayu uses inside the cluster.
	database = "bayu"
)

// Cluster is a private PostgreSQL server in a data folder of bayu's own.
type Cluster struct {
	// Dir is the absolute path of the data folder.
	Dir string
	// Port is the TCP port the server listens on at 127.0.0.1.
	Port int
	// URL connects as user postgres to database bayu, for example
	// postgres://postgres@127.0.0.1:PORT/bayu?sslmode=disable.
	URL string
}

// DefaultDir is where the demo keeps its cluster: /var/lib/bayu/pgdata when run
// as root, else $XDG_DATA_HOME/bayu/pgdata or ~/.local/share/bayu/pgdata.
func DefaultDir() string {
	if os.Geteuid() == 0 {
		return "/var/lib/bayu/pgdata"
	}
	// The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
	if x := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "bayu", "pgdata")
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		return filepath.Join(home, ".local", "share", "bayu", "pgdata")
	}
	// Without a home there is no per-user place; a per-uid folder in the temp
	// dir at least keeps two users apart.
	return filepath.Join(os.TempDir(), fmt.Sprintf("bayu-%d", os.Geteuid()), "pgdata")
}

// Available reports whether initdb and pg_ctl can be found (PATH, then
// pg_config --bindir, then /usr/lib/postgresql/*/bin, newest version first).
func Available() bool {
	_, err := findBinDir(context.Background(), "")
	return err == nil
}

// Start initialises dir if it holds no cluster yet and starts the server on a
// free port of 127.0.0.1, or reuses the server when it is already running. The
// port is remembered in dir, so a later start gets the same URL. When the
// process runs as root the server runs as the postgres system user (or nobody),
// since PostgreSQL refuses to run as root. Start also creates database bayu
// when it is missing, and says on log what it did, in one line. An empty dir
// means DefaultDir(); a nil log discards the message.
func Start(ctx context.Context, dir string, log io.Writer) (*Cluster, error) {
	if log == nil {
		log = io.Discard
	}
	if dir == "" {
		dir = DefaultDir()
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("pglocal: data folder %q: %v", dir, err)
	}
	acct, err := chooseAccount(dir)
	if err != nil {
		return nil, err
	}
	if err := prepareDir(dir, acct); err != nil {
		return nil, err
	}
	// Two bayu processes starting at once would otherwise both run initdb or
	// both pick a port; the lock on the folder serialises them.
	unlock, err := lockDir(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// Whoever held the lock before us may have made the cluster meanwhile,
	// so what the folder holds, and who owns it, is only known now.
	if acct, err = chooseAccount(dir); err != nil {
		return nil, err
	}

	version := clusterVersion(dir)
	bin, err := findBinDir(ctx, version)
	if err != nil {
		return nil, err
	}
	fresh := version == ""
	if fresh {
		if err := claimDir(dir, acct); err != nil {
			return nil, err
		}
		if err := initdb(ctx, bin, dir, acct); err != nil {
			return nil, err
		}
	}

	running, err := isRunning(ctx, bin, dir, acct)
	if err != nil {
		return nil, err
	}
	var port int
	if running {
		// The pid file tells the port the server really listens on, which
		// beats the remembered one if someone restarted it by hand.
		if port = pidFilePort(dir); port == 0 {
			port, _ = readPort(dir)
		}
		if port == 0 {
			return nil, fmt.Errorf("pglocal: a server is running in %s but its port is unknown; stop it with pg_ctl stop -D %s", dir, dir)
		}
	} else {
		if port, err = choosePort(dir); err != nil {
			return nil, err
		}
		if err := startServer(ctx, bin, dir, port, acct); err != nil {
			return nil, err
		}
	}
	if err := writePort(dir, port, acct); err != nil {
		return nil, err
	}

	c := &Cluster{Dir: dir, Port: port, URL: clusterURL(port, database)}
	if err := ensureDatabase(ctx, port); err != nil {
		return nil, err
	}

	switch {
	case running:
		fmt.Fprintf(log, "未找到 PostgreSQL 服务，沿用 %s 中已在运行的私有数据库（端口 %d） / no PostgreSQL server found; reusing the private cluster already running in %s on port %d\n", dir, port, dir, port)
	case fresh:
		fmt.Fprintf(log, "未找到 PostgreSQL 服务，已在 %s 新建并启动私有数据库（端口 %d） / no PostgreSQL server found; created and started a private cluster in %s on port %d\n", dir, port, dir, port)
	default:
		fmt.Fprintf(log, "未找到 PostgreSQL 服务，已在 %s 启动私有数据库（端口 %d） / no PostgreSQL server found; started a private cluster in %s on port %d\n", dir, port, dir, port)
	}
	return c, nil
}

// Stop stops the cluster (pg_ctl stop -m fast) and waits until it is down.
// Stopping a cluster that is not running is not an error.
func (c *Cluster) Stop(ctx context.Context) error {
	dir, err := filepath.Abs(c.Dir)
	if err != nil {
		return fmt.Errorf("pglocal: data folder %q: %v", c.Dir, err)
	}
	version := clusterVersion(dir)
	if version == "" {
		return fmt.Errorf("pglocal: %s holds no PostgreSQL cluster", dir)
	}
	// Stop only needs the folder, so it also works on a Cluster built by hand
	// or kept from an earlier run: the server runs as whoever owns the folder.
	acct, err := chooseAccount(dir)
	if err != nil {
		return err
	}
	bin, err := findBinDir(ctx, version)
	if err != nil {
		return err
	}
	running, err := isRunning(ctx, bin, dir, acct)
	if err != nil || !running {
		return err
	}
	out, err := run(ctx, acct, dir, filepath.Join(bin, "pg_ctl"), "stop", "-w", "-s", "-m", "fast", "-D", dir)
	if err != nil {
		return fmt.Errorf("pglocal: stop the server in %s: %s", dir, reason(out, err))
	}
	return nil
}

// clusterURL is the URL of database name in the cluster on port.
func clusterURL(port int, name string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, port, name)
}

// clusterVersion is the major version in dir/PG_VERSION, or "" when dir holds
// no cluster.
func clusterVersion(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "PG_VERSION"))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// initdb creates the cluster. C.UTF-8 sorts like C but keeps UTF-8 character
// classes; some systems lack it, and then plain C (still with UTF8 encoding)
// is the one locale that always exists.
func initdb(ctx context.Context, bin, dir string, acct account) error {
	var out string
	var err error
	for _, locale := range []string{"C.UTF-8", "C"} {
		out, err = run(ctx, acct, dir, filepath.Join(bin, "initdb"),
			"-D", dir, "--auth=trust", "--encoding=UTF8", "--locale="+locale, "-U", superuser)
		if err == nil {
			return nil
		}
		// Only a missing locale is worth a second try; initdb has removed
		// what it wrote, so the folder is empty again.
		if !strings.Contains(strings.ToLower(out), "locale") || ctx.Err() != nil {
			break
		}
	}
	return fmt.Errorf("pglocal: initdb in %s failed: %s", dir, reason(out, err))
}

// isRunning asks pg_ctl status whether the server in dir runs.
func isRunning(ctx context.Context, bin, dir string, acct account) (bool, error) {
	out, err := run(ctx, acct, dir, filepath.Join(bin, "pg_ctl"), "status", "-D", dir)
	if err == nil {
		return true, nil
	}
	// Exit status 3 is pg_ctl's documented "no server running".
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 3 {
		return false, nil
	}
	return false, fmt.Errorf("pglocal: pg_ctl status in %s: %s", dir, reason(out, err))
}

// startServer starts the server with pg_ctl -w, which returns once the
// server accepts connections.
func startServer(ctx context.Context, bin, dir string, port int, acct account) error {
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s", port, shellQuote(socketDir(dir)))
	logPath := filepath.Join(dir, logFile)
	out, err := run(ctx, acct, dir, filepath.Join(bin, "pg_ctl"), "start", "-w", "-s", "-D", dir, "-l", logPath, "-o", opts)
	if err != nil {
		// pg_ctl only says that it failed; the reason is in the server log.
		why := logReason(logPath)
		if why == "" {
			why = reason(out, err)
		}
		return fmt.Errorf("pglocal: the server in %s did not start: %s (see %s)", dir, why, logPath)
	}
	return nil
}

// socketDir keeps the unix socket inside the data folder, so the private
// server never collides with the system's socket in /var/run/postgresql. A
// socket path longer than the kernel's limit (107 bytes) would stop the
// server from starting; bayu only uses TCP, so then no socket is made.
func socketDir(dir string) string {
	if len(dir)+len("/.s.PGSQL.65535.lock") > 107 {
		return ""
	}
	return dir
}

// shellQuote quotes s for the /bin/sh command line pg_ctl builds from -o.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// logReason is the most telling line at the end of the server log: the last
// FATAL or PANIC line, else the last line.
func logReason(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > 16<<10 {
		b = b[len(b)-16<<10:]
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], "FATAL:") || strings.Contains(lines[i], "PANIC:") {
			return strings.TrimSpace(lines[i])
		}
	}
	return strings.TrimSpace(lines[len(lines)-1])
}

// reason makes one line of a failed command: its last line saying "error"
// (the PostgreSQL tools often follow it with advice), else its last line of
// output, else the error itself.
func reason(out string, err error) string {
	out = strings.TrimSpace(out)
	if out == "" {
		return err.Error()
	}
	lines := strings.Split(out, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(strings.ToLower(lines[i]), "error") {
			return strings.TrimSpace(lines[i])
		}
	}
	return strings.TrimSpace(lines[len(lines)-1])
}

// choosePort reuses the remembered port unless something else has taken it
// meanwhile, else asks the kernel for a free one.
func choosePort(dir string) (int, error) {
	if p, ok := readPort(dir); ok {
		if l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p)); err == nil {
			l.Close()
			return p, nil
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pglocal: find a free port on 127.0.0.1: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// readPort is the port remembered in dir.
func readPort(dir string) (int, bool) {
	b, err := os.ReadFile(filepath.Join(dir, portFile))
	if err != nil {
		return 0, false
	}
	p, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || p <= 0 || p > 65535 {
		return 0, false
	}
	return p, true
}

// writePort remembers port in dir, owned by the server's user like the rest
// of the folder.
func writePort(dir string, port int, acct account) error {
	path := filepath.Join(dir, portFile)
	if p, ok := readPort(dir); ok && p == port {
		return nil
	}
	if err := os.WriteFile(path, []byte(strconv.Itoa(port)+"\n"), 0o600); err != nil {
		return fmt.Errorf("pglocal: remember the port: %v", err)
	}
	return chownTo(path, acct)
}

// pidFilePort is the port in postmaster.pid (its fourth line), or 0.
func pidFilePort(dir string) int {
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return 0
	}
	p, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	if err != nil {
		return 0
	}
	return p
}

// ensureDatabase creates database bayu when it is missing. A server that
// pg_ctl status reports as running may still be starting up, so connecting
// is retried for a while.
func ensureDatabase(ctx context.Context, port int) error {
	db, err := sql.Open("postgres", clusterURL(port, "postgres"))
	if err != nil {
		return fmt.Errorf("pglocal: %v", err)
	}
	defer db.Close()
	deadline := time.Now().Add(15 * time.Second)
	for {
		err = db.PingContext(ctx)
		if err == nil || ctx.Err() != nil || time.Now().After(deadline) {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
	if err != nil {
		return fmt.Errorf("pglocal: connect to the private server on port %d: %v", port, err)
	}
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, database).Scan(&exists); err != nil {
		return fmt.Errorf("pglocal: look up database %s: %v", database, err)
	}
	if exists {
		return nil
	}
	_, err = db.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(database))
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "42P04" { // created meanwhile by someone else
		return nil
	}
	if err != nil {
		return fmt.Errorf("pglocal: create database %s: %v", database, err)
	}
	return nil
}

// run runs a PostgreSQL program as acct in dir and returns its combined
// output. Working in dir matters when switching users: root's working folder
// is often unreadable by postgres, and the tools complain about it.
func run(ctx context.Context, acct account, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var out strings.Builder
	cmd.Stdout = &out
	cmd.Stderr = &out
	// pg_ctl hands the server its log file, not our pipes, but should anything
	// keep them open, give up waiting rather than hang.
	cmd.WaitDelay = 5 * time.Second
	setAccount(cmd, acct)
	err := cmd.Run()
	return out.String(), err
}
