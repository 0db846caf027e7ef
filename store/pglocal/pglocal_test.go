//go:build linux

package pglocal

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// testBase makes a folder for one test under /var/tmp, not the per-user temp
// dir: when the tests run as root, the server runs as postgres, which must be
// able to pass through every parent. It is removed after the test.
func testBase(t *testing.T) string {
	t.Helper()
	base, err := os.MkdirTemp("/var/tmp", "pglocal-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(base, 0o755); err != nil { // MkdirTemp makes it 0700
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	return base
}

// oneLine fails t unless err is a single-line error saying want.
func oneLine(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one saying %q", want)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "pglocal: ") || !strings.Contains(msg, want) {
		t.Fatalf("error %q: want one line starting pglocal: and saying %q", msg, want)
	}
}

// ownerUID is the uid owning path.
func ownerUID(t *testing.T, path string) uint32 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Uid
}

// startTime is when the server behind db started, which changes only when it
// is restarted.
func startTime(t *testing.T, db *sql.DB) time.Time {
	t.Helper()
	var at time.Time
	if err := db.QueryRow(`SELECT pg_postmaster_start_time()`).Scan(&at); err != nil {
		t.Fatal(err)
	}
	return at
}

func TestStartReuseStop(t *testing.T) {
	if !Available() {
		t.Skip("PostgreSQL programs not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	base := testBase(t)
	// "parent" does not exist yet: Start must create it, searchable.
	dir := filepath.Join(base, "parent", "pgdata")
	// Registered after testBase's cleanup, so it runs first: the server must
	// be down before its folder goes.
	t.Cleanup(func() {
		if err := (&Cluster{Dir: dir}).Stop(context.Background()); err != nil && clusterVersion(dir) != "" {
			t.Errorf("cleanup: %v", err)
		}
	})

	// Two starts at once on an empty folder: the lock must let one make the
	// cluster and the other reuse it, rather than both running initdb.
	var (
		wg       sync.WaitGroup
		clusters [2]*Cluster
		errs     [2]error
		logs     [2]bytes.Buffer
	)
	for i := range 2 {
		wg.Go(func() { clusters[i], errs[i] = Start(ctx, dir, &logs[i]) })
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("start %d: %v", i, errs[i])
		}
	}
	c := clusters[0]
	if clusters[1].Port != c.Port || clusters[1].URL != c.URL {
		t.Fatalf("concurrent starts disagree: %+v and %+v", *c, *clusters[1])
	}
	both := logs[0].String() + logs[1].String()
	if !strings.Contains(both, "created and started") || !strings.Contains(both, "reusing the private cluster") {
		t.Errorf("want one start to create the cluster and one to reuse it, logs:\n%s", both)
	}
	for i := range 2 {
		line := logs[i].String()
		if strings.Count(line, "\n") != 1 || !strings.Contains(line, dir) || !strings.Contains(line, strconv.Itoa(c.Port)) || !strings.Contains(line, "私有数据库") {
			t.Errorf("log %d: want one line in Chinese and English naming %s and port %d, got %q", i, dir, c.Port, line)
		}
	}
	if c.Dir != dir {
		t.Errorf("Dir = %q, want %q", c.Dir, dir)
	}
	if want := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/bayu?sslmode=disable", c.Port); c.URL != want {
		t.Errorf("URL = %q, want %q", c.URL, want)
	}

	db, err := sql.Open("postgres", c.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var one int
	var dbName, dataDir, listen, sockets, port string
	if err := db.QueryRow(`SELECT 1, current_database(), current_setting('data_directory'),
			current_setting('listen_addresses'), current_setting('unix_socket_directories'), current_setting('port')`).
		Scan(&one, &dbName, &dataDir, &listen, &sockets, &port); err != nil {
		t.Fatal(err)
	}
	if one != 1 || dbName != "bayu" || dataDir != dir || listen != "127.0.0.1" || sockets != dir || port != strconv.Itoa(c.Port) {
		t.Errorf("got 1=%d db=%s data_directory=%s listen=%s sockets=%s port=%s", one, dbName, dataDir, listen, sockets, port)
	}
	started := startTime(t, db)

	// Who runs the server: not root, and the owner of its folder.
	pid, err := strconv.Atoi(strings.SplitN(readFile(t, filepath.Join(dir, "postmaster.pid")), "\n", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	serverUID := ownerUID(t, fmt.Sprintf("/proc/%d", pid))
	if dirUID := ownerUID(t, dir); dirUID != serverUID {
		t.Errorf("data folder owned by uid %d, server runs as uid %d", dirUID, serverUID)
	}
	if os.Geteuid() == 0 {
		if serverUID == 0 {
			t.Errorf("server process %d runs as root", pid)
		}
		if u, err := user.Lookup("postgres"); err == nil && strconv.Itoa(int(serverUID)) != u.Uid {
			t.Errorf("server runs as uid %d, want postgres (%s)", serverUID, u.Uid)
		}
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Dir(dir): 0o755} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", path, fi.Mode().Perm(), err, want)
		}
	}

	// A second start reuses the running server: same port, not restarted.
	var log bytes.Buffer
	again, err := Start(ctx, dir, &log)
	if err != nil {
		t.Fatalf("second start: %v", err)
	}
	if again.Port != c.Port || again.URL != c.URL {
		t.Errorf("second start: port %d, URL %s; want %d, %s", again.Port, again.URL, c.Port, c.URL)
	}
	if !strings.Contains(log.String(), "reusing") {
		t.Errorf("second start said %q, want that it reuses the cluster", log.String())
	}
	if at := startTime(t, db); !at.Equal(started) {
		t.Errorf("server restarted by the second start: started %v, now %v", started, at)
	}

	if err := c.Stop(ctx); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); !os.IsNotExist(err) {
		t.Errorf("postmaster.pid still there after stop (%v)", err)
	}
	db.SetMaxIdleConns(0) // the old connection died with the server
	if err := db.PingContext(ctx); err == nil {
		t.Errorf("server still answers after stop")
	}
	if err := c.Stop(ctx); err != nil {
		t.Errorf("stopping a stopped cluster: %v", err)
	}

	// Started again from cold: the remembered port comes back, and so does
	// the data (database bayu was not created anew).
	log.Reset()
	third, err := Start(ctx, dir, &log)
	if err != nil {
		t.Fatalf("start after stop: %v", err)
	}
	if third.Port != c.Port {
		t.Errorf("start after stop: port %d, want the remembered %d", third.Port, c.Port)
	}
	if !strings.Contains(log.String(), "started a private cluster") {
		t.Errorf("start after stop said %q", log.String())
	}
	db2, err := sql.Open("postgres", third.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if at := startTime(t, db2); !at.After(started) {
		t.Errorf("start after stop: server start time %v not after %v", at, started)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestStartUnreachableParent: as root, a folder inside one that postgres
// cannot enter is refused up front with the culprit named, instead of a
// permission error from initdb.
func TestStartUnreachableParent(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root switches users")
	}
	base := testBase(t)
	closed := filepath.Join(base, "closed")
	if err := os.Mkdir(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), filepath.Join(closed, "sub", "pgdata"), nil)
	oneLine(t, err, closed+" is not searchable")
	if _, err := os.Stat(filepath.Join(closed, "sub")); !os.IsNotExist(err) {
		t.Errorf("folders made although unreachable (%v)", err)
	}
}

// TestStartNotEmpty: a folder with other files in it is not a cluster and is
// left alone.
func TestStartNotEmpty(t *testing.T) {
	if !Available() {
		t.Skip("PostgreSQL programs not installed")
	}
	dir := filepath.Join(testBase(t), "pgdata")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), dir, nil)
	oneLine(t, err, "is not empty and holds no PostgreSQL cluster")
	if ownerUID(t, dir) != uint32(os.Geteuid()) {
		t.Errorf("folder with foreign files was chowned")
	}
}

// TestStartWrongVersion: a cluster of a major version whose programs are not
// installed is refused with both versions named, before anything runs.
func TestStartWrongVersion(t *testing.T) {
	if !Available() {
		t.Skip("PostgreSQL programs not installed")
	}
	dir := filepath.Join(testBase(t), "pgdata")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "PG_VERSION"), []byte("9.9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 { // a root-owned cluster is refused for another reason
		if err := os.Chown(dir, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Start(context.Background(), dir, nil)
	oneLine(t, err, "the private cluster is PostgreSQL 9.9 but only PostgreSQL")
}

func TestDefaultDir(t *testing.T) {
	if os.Geteuid() == 0 {
		if got := DefaultDir(); got != "/var/lib/bayu/pgdata" {
			t.Errorf("as root: DefaultDir() = %q", got)
		}
		return
	}
	t.Setenv("XDG_DATA_HOME", "/xdg")
	if got := DefaultDir(); got != "/xdg/bayu/pgdata" {
		t.Errorf("with XDG_DATA_HOME: DefaultDir() = %q", got)
	}
	t.Setenv("XDG_DATA_HOME", "relative") // invalid per the XDG spec
	t.Setenv("HOME", "/home/someone")
	if got := DefaultDir(); got != "/home/someone/.local/share/bayu/pgdata" {
		t.Errorf("without XDG_DATA_HOME: DefaultDir() = %q", got)
	}
}

func TestMajorVersion(t *testing.T) {
	for full, want := range map[string]string{
		"15.8": "15", "16beta1": "16", "17": "17", "9.6.24": "9.6", "10.23": "10",
	} {
		if got := majorVersion(full); got != want {
			t.Errorf("majorVersion(%q) = %q, want %q", full, got, want)
		}
	}
}

func TestDebianBinDirsNewestFirst(t *testing.T) {
	dirs := debianBinDirs()
	for i := 1; i < len(dirs); i++ {
		if majorOf(dirs[i-1]) < majorOf(dirs[i]) {
			t.Errorf("%s listed before %s", dirs[i-1], dirs[i])
		}
	}
}

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(strings.Split(filepath.Base(filepath.Dir(binDir)), ".")[0])
	return n
}
