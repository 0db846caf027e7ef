package pglocal

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// account is the OS user that runs initdb, pg_ctl and so the server. The zero
// value means the current user, which is right unless we are root.
type account struct {
	name     string
	uid, gid uint32
	// switchUser is set when we run as root: PostgreSQL refuses to run as
	// root, so its programs run as this user instead.
	switchUser bool
}

// prepareDir creates dir's missing parents (mode 0755, so the server's user
// can pass through them) and dir itself (mode 0700, which PostgreSQL
// requires), and checks that the server's user can reach dir.
func prepareDir(dir string, acct account) error {
	parent := filepath.Dir(dir)
	var missing []string
	for p := parent; ; p = filepath.Dir(p) {
		_, err := os.Stat(p)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("pglocal: %v", err)
		}
		missing = append(missing, p)
		if filepath.Dir(p) == p {
			break
		}
	}
	if acct.switchUser {
		// Existing parents are left as they are (they may be root's home);
		// saying which one blocks the way beats a bare "permission denied"
		// from initdb. Checked before creating anything, so a refused
		// folder leaves no trace.
		first := parent
		if len(missing) > 0 {
			first = filepath.Dir(missing[len(missing)-1])
		}
		for p := first; ; p = filepath.Dir(p) {
			fi, err := os.Stat(p)
			if err != nil {
				return fmt.Errorf("pglocal: %v", err)
			}
			if !searchable(fi, acct) {
				return fmt.Errorf("pglocal: user %s cannot reach %s because %s is not searchable by it; choose another folder or run chmod o+x %s", acct.name, dir, p, p)
			}
			if filepath.Dir(p) == p {
				break
			}
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("pglocal: create %s: %v", missing[i], err)
		}
		// The umask may have taken bits away that the server's user needs.
		if err := os.Chmod(missing[i], 0o755); err != nil {
			return fmt.Errorf("pglocal: %v", err)
		}
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("pglocal: create %s: %v", dir, err)
	}
	if fi, err := os.Stat(dir); err != nil {
		return fmt.Errorf("pglocal: %v", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("pglocal: %s is not a folder", dir)
	}
	return nil
}

// claimDir readies a folder without a cluster for initdb: it must be empty,
// since initdb would refuse otherwise with a less helpful message, and when
// we are root it is handed to the server's user.
func claimDir(dir string, acct account) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("pglocal: %v", err)
	}
	_, err = f.Readdirnames(1)
	f.Close()
	if err == nil {
		return fmt.Errorf("pglocal: %s is not empty and holds no PostgreSQL cluster; empty it or choose another folder", dir)
	}
	if !errors.Is(err, io.EOF) {
		return fmt.Errorf("pglocal: read %s: %v", dir, err)
	}
	if !acct.switchUser {
		return nil // initdb sets the mode itself when it owns the folder
	}
	if err := chownTo(dir, acct); err != nil {
		return err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("pglocal: %v", err)
	}
	return nil
}

// chownTo hands path to the server's user when we run as root.
func chownTo(path string, acct account) error {
	if !acct.switchUser {
		return nil
	}
	if err := os.Chown(path, int(acct.uid), int(acct.gid)); err != nil {
		return fmt.Errorf("pglocal: %v", err)
	}
	return nil
}
