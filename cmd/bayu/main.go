// Command bayu runs the 巴渝工匠 exhibit workflow: the server, its migrations,
// its users and a demo.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	bayuhttp "bayu/http"
	"bayu/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bayu:", err)
		}
		os.Exit(exitCode(err))
	}
}

// Main is the program, testable end to end: tests call Run with their own
// arguments, environment and output, and learn the listening address from Listening.
type Main struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Listening, when set, is told the server's address once it accepts connections.
	Listening func(addr string)
	// DefaultDatabaseURL is used when DATABASE_URL is not set.
	DefaultDatabaseURL string
	// ClusterDir is where the demo keeps a private cluster; empty means pglocal.DefaultDir().
	ClusterDir string
}

// NewMain returns a Main wired to the process's environment.
func NewMain() *Main {
	return &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, DefaultDatabaseURL: store.DefaultURL()}
}

const usage = `bayu — “巴渝工匠”绝技绝活展品征集工作流 / exhibit workflow

usage:
  bayu migrate                     apply database migrations
  bayu serve [--addr :8080]        serve the UI and API
  bayu demo  [--addr :8080]        migrate, seed a demo campaign, print logins, serve
  bayu user add --name N --role R [--district CODE] [--password P] [--email E] [--webhook URL]
  bayu user disable NAME           end a user's sessions and tokens at once
  bayu import --district CODE FILE.xlsx [--dry-run] [--recommend]   import a filled list form
  bayu jobs list                   the scheduled jobs, their schedules and last runs
  bayu jobs run JOB|all [--at RFC3339]   run jobs now, or as if the clock read that instant
  bayu bench transitions [--clients 32] [--duration 30s] [--mode display|lifecycle] [--cpuprofile F] [--memprofile F]
  bayu audit head | verify [--head DIGEST] | purge   the tamper-evident history
  bayu db grant-app ROLE [--password-env VAR]        the role bayu serve runs as

environment: DATABASE_URL, BAYU_ADDR, BAYU_TZ (default Asia/Shanghai),
  BAYU_SMTP_HOST, BAYU_SMTP_PORT, BAYU_SMTP_USER, BAYU_SMTP_PASSWORD, BAYU_SMTP_FROM,
  BAYU_SMTP_TLS (starttls|tls|opportunistic|none), BAYU_WEBHOOK_FORMAT (json|wecom),
  BAYU_AUDIT_KEY (HMAC key of the history's hashes), BAYU_AUDIT_RETENTION_DAYS (>= 184)
`

// Run executes one command.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "migrate":
		return m.migrate(ctx, args[1:])
	case "serve":
		return m.serve(ctx, args[1:])
	case "demo":
		return m.demo(ctx, args[1:])
	case "bench":
		return m.bench(ctx, args[1:])
	case "jobs":
		return m.jobs(ctx, args[1:])
	case "user":
		return m.user(ctx, args[1:])
	case "import":
		return m.importList(ctx, args[1:])
	case "audit":
		return m.audit(ctx, args[1:])
	case "db":
		return m.db(ctx, args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprint(m.Stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func (m *Main) logger() *slog.Logger {
	return slog.New(bayuhttp.RedactingHandler(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
}

// exitCode is 2 for usage errors, 1 otherwise.
func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}
