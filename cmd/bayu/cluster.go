package main

import (
	"context"
	"fmt"
	"time"

	"bayu/store/pglocal"
)

// privateCluster starts (or reuses) a PostgreSQL cluster in a data folder of
// bayu's own, for a newcomer who has the PostgreSQL binaries but no server.
// The demo stops it again when it exits.
func (m *Main) privateCluster(ctx context.Context, c config) (config, func(), error) {
	if !pglocal.Available() {
		return c, nil, fmt.Errorf("no PostgreSQL server at %s and no PostgreSQL binaries to start one; install PostgreSQL or set DATABASE_URL", c.DatabaseURL)
	}
	cl, err := pglocal.Start(ctx, m.ClusterDir, m.Stdout)
	if err != nil {
		return c, nil, err
	}
	c.DatabaseURL = cl.URL
	stop := func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := cl.Stop(stopCtx); err != nil {
			fmt.Fprintln(m.Stderr, "bayu:", err)
		}
	}
	return c, stop, nil
}
