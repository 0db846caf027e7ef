package main

import (
	"context"
	"fmt"
)

// privateCluster is filled in once store/pglocal lands.
func (m *Main) privateCluster(ctx context.Context, c config) (config, func(), error) {
	return c, func() {}, fmt.Errorf("no PostgreSQL server at %s; start one or set DATABASE_URL", c.DatabaseURL)
}
