//go:build unix

package pglocal

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
	"time"
)

// chooseAccount picks the user the server runs as. Not root: ourselves. Root:
// the owner of an existing cluster (the server refuses a data folder owned by
// anyone else), else the postgres system user, else nobody.
func chooseAccount(dir string) (account, error) {
	if os.Geteuid() != 0 {
		return account{}, nil
	}
	if clusterVersion(dir) != "" {
		fi, err := os.Stat(dir)
		if err != nil {
			return account{}, fmt.Errorf("pglocal: %v", err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return account{}, fmt.Errorf("pglocal: cannot tell who owns %s", dir)
		}
		if st.Uid == 0 {
			return account{}, fmt.Errorf("pglocal: %s is owned by root and PostgreSQL will not run as root; chown -R postgres %s", dir, dir)
		}
		acct := account{name: strconv.FormatUint(uint64(st.Uid), 10), uid: st.Uid, gid: st.Gid, switchUser: true}
		if u, err := user.LookupId(acct.name); err == nil {
			acct.name = u.Username
			if gid, err := strconv.ParseUint(u.Gid, 10, 32); err == nil {
				acct.gid = uint32(gid)
			}
		}
		return acct, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil || uid == 0 {
			continue
		}
		return account{name: name, uid: uint32(uid), gid: uint32(gid), switchUser: true}, nil
	}
	return account{}, fmt.Errorf("pglocal: running as root but neither user postgres nor nobody exists to run the server; create user postgres or set DATABASE_URL")
}

// searchable reports whether acct may pass through the folder fi, going by
// the mode bits of the class acct falls in. Only the primary group counts,
// because setAccount drops supplementary groups.
func searchable(fi os.FileInfo, acct account) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true // cannot tell; let initdb have its say
	}
	perm := fi.Mode().Perm()
	switch {
	case st.Uid == acct.uid:
		return perm&0o100 != 0
	case st.Gid == acct.gid:
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

// setAccount makes cmd run as acct. Leaving Groups empty drops root's
// supplementary groups, so the server gets no more rights than its user.
func setAccount(cmd *exec.Cmd, acct account) {
	if !acct.switchUser {
		return
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: &syscall.Credential{Uid: acct.uid, Gid: acct.gid},
	}
}

// lockDir takes an exclusive flock on dir itself, since before initdb the
// folder must stay empty and cannot hold a lock file. os.Open sets
// close-on-exec, so the server that pg_ctl starts does not inherit the lock.
func lockDir(ctx context.Context, dir string) (func(), error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("pglocal: %v", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if err != syscall.EWOULDBLOCK && err != syscall.EINTR {
			f.Close()
			return nil, fmt.Errorf("pglocal: lock %s: %v", dir, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("pglocal: waiting for another bayu starting the cluster in %s: %v", dir, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}
