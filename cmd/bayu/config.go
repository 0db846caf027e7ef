package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"bayu/store"
	"bayu/store/pglocal"
	"bayu/workflow/campaign"
)

// config is what every command reads from the environment and flags.
type config struct {
	DatabaseURL string
	Addr        string
	Location    *time.Location
	explicitDB  bool // DATABASE_URL was given, so never replace it with a private cluster
	// DataDir holds uploaded media (BAYU_DATA_DIR); beside the demo's private cluster by default.
	DataDir string
	// AuditKey makes the history's hashes HMACs (BAYU_AUDIT_KEY); none by default.
	AuditKey []byte
}

func (m *Main) config(fs *flag.FlagSet, args []string) (config, error) {
	c := config{DatabaseURL: m.Getenv("DATABASE_URL"), Addr: m.Getenv("BAYU_ADDR")}
	c.explicitDB = c.DatabaseURL != ""
	if c.DatabaseURL == "" {
		c.DatabaseURL = m.DefaultDatabaseURL
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = store.DefaultURL()
	}
	if c.Addr == "" {
		c.Addr = ":8080"
	}
	if c.DataDir = m.Getenv("BAYU_DATA_DIR"); c.DataDir == "" {
		c.DataDir = filepath.Dir(pglocal.DefaultDir())
	}
	if fs != nil {
		fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on")
		fs.SetOutput(m.Stderr)
		if err := fs.Parse(args); err != nil {
			return c, err
		}
	}
	tz := m.Getenv("BAYU_TZ")
	if tz == "" {
		tz = "Asia/Shanghai"
	}
	loc, err := campaign.Location(tz)
	if err != nil {
		return c, fmt.Errorf("BAYU_TZ=%q is not a time zone (e.g. Asia/Shanghai)", tz)
	}
	c.Location = loc
	c.AuditKey, err = auditKey(m.Getenv)
	return c, err
}

// open creates the database when missing, migrates it and opens the store.
func (m *Main) open(ctx context.Context, c config) (*store.Store, error) {
	if err := store.EnsureDatabase(ctx, c.DatabaseURL); err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	st, err := store.Open(ctx, c.DatabaseURL, store.Options{Logger: m.logger(), Location: c.Location, AuditKey: c.AuditKey})
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}
