//go:build !unix

package pglocal

import (
	"context"
	"os"
	"os/exec"
)

// chooseAccount is the current user: there is no root to step down from.
func chooseAccount(dir string) (account, error) { return account{}, nil }

// searchable cannot be told from mode bits here; initdb reports any problem.
func searchable(fi os.FileInfo, acct account) bool { return true }

// setAccount has nothing to do: the programs run as the current user.
func setAccount(cmd *exec.Cmd, acct account) {}

// lockDir does not lock: without flock, concurrent starts are left to
// pg_ctl's own postmaster.pid check.
func lockDir(ctx context.Context, dir string) (func(), error) { return func() {}, nil }
