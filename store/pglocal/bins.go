package pglocal

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// debianRoot is where Debian and Ubuntu install each PostgreSQL version's
// server programs, off PATH, one folder per major version.
const debianRoot = "/usr/lib/postgresql"

// findBinDir is the first folder holding both initdb and pg_ctl, looking in
// PATH, then pg_config --bindir, then /usr/lib/postgresql/*/bin (newest
// first). The two must come from one folder: an initdb of one version and a
// pg_ctl of another make a cluster the server cannot start. When version is
// not empty (an existing cluster's PG_VERSION), only programs of that major
// version will do, since a server cannot open another major version's files.
func findBinDir(ctx context.Context, version string) (string, error) {
	sawInitdb := false
	var sawVersions []string
	for _, dir := range binCandidates(ctx) {
		if !isExecutable(filepath.Join(dir, "initdb")) {
			continue
		}
		sawInitdb = true
		if !isExecutable(filepath.Join(dir, "pg_ctl")) {
			continue
		}
		if version != "" {
			v := programVersion(ctx, filepath.Join(dir, "pg_ctl"))
			if v != version {
				sawVersions = append(sawVersions, v)
				continue
			}
		}
		return dir, nil
	}
	switch {
	case len(sawVersions) > 0:
		return "", fmt.Errorf("pglocal: the private cluster is PostgreSQL %s but only PostgreSQL %s programs were found; install version %s or set DATABASE_URL",
			version, strings.Join(sawVersions, ", "), version)
	case sawInitdb:
		return "", fmt.Errorf("pglocal: pg_ctl not found next to initdb; install the PostgreSQL server or set DATABASE_URL")
	default:
		return "", fmt.Errorf("pglocal: initdb not found; install PostgreSQL or set DATABASE_URL")
	}
}

// binCandidates lists the folders to look in, in order, without repeats.
func binCandidates(ctx context.Context) []string {
	var dirs []string
	seen := map[string]bool{}
	add := func(d string) {
		if d != "" && !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	for _, prog := range []string{"initdb", "pg_ctl"} {
		if p, err := exec.LookPath(prog); err == nil {
			if abs, err := filepath.Abs(p); err == nil {
				add(filepath.Dir(abs))
			}
		}
	}
	if p, err := exec.LookPath("pg_config"); err == nil {
		if out, err := exec.CommandContext(ctx, p, "--bindir").Output(); err == nil {
			add(strings.TrimSpace(string(out)))
		}
	}
	for _, d := range debianBinDirs() {
		add(d)
	}
	return dirs
}

// debianBinDirs lists /usr/lib/postgresql/*/bin, newest version first.
func debianBinDirs() []string {
	dirs, _ := filepath.Glob(filepath.Join(debianRoot, "*", "bin"))
	version := func(d string) []int {
		var v []int
		for _, part := range strings.Split(filepath.Base(filepath.Dir(d)), ".") {
			n, err := strconv.Atoi(part)
			if err != nil {
				break
			}
			v = append(v, n)
		}
		return v
	}
	sort.SliceStable(dirs, func(i, j int) bool {
		a, b := version(dirs[i]), version(dirs[j])
		for k := 0; k < len(a) && k < len(b); k++ {
			if a[k] != b[k] {
				return a[k] > b[k]
			}
		}
		return len(a) > len(b)
	})
	return dirs
}

// isExecutable reports whether path is a regular file someone may run.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// programVersion is the major version a PostgreSQL program reports, written
// the way PG_VERSION writes it: "15" from 10 on, "9.6" before.
func programVersion(ctx context.Context, path string) string {
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return "unknown"
	}
	// "pg_ctl (PostgreSQL) 15.8 (Debian 15.8-1.pgdg120+1)"
	_, rest, ok := strings.Cut(string(out), "(PostgreSQL) ")
	if !ok {
		return "unknown"
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return "unknown"
	}
	return majorVersion(fields[0])
}

// majorVersion turns a full version ("15.8", "16beta1", "9.6.24") into its
// major version ("15", "16", "9.6").
func majorVersion(full string) string {
	parts := strings.Split(full, ".")
	first := parts[0]
	if n := strings.IndexFunc(first, func(r rune) bool { return r < '0' || r > '9' }); n >= 0 {
		first = first[:n]
	}
	if n, err := strconv.Atoi(first); err == nil && n < 10 && len(parts) > 1 {
		return first + "." + parts[1]
	}
	return first
}
