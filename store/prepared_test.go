package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/store"
	"bayu/store/storetest"
)

// Every connection of the pool is in a transaction when each of them first needs
// the transition path's locking statement. Preparing that statement needs a
// connection of its own, and none will come free: the statement must be run
// without waiting for it.
func TestTransactionsHoldingEveryConnectionDoNotWaitForAPreparation(t *testing.T) {
	t.Parallel()
	st := storetest.New(t, store.Options{})
	const conns = 4
	st.DB().SetMaxOpenConns(conns)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var id int64
	if err := st.DB().GetContext(ctx, &id, `INSERT INTO exhibits (district, name, method, state, created_at, updated_at)
		VALUES ('500101', '连接池', 'donation', 'stored', now(), now()) RETURNING id`); err != nil {
		t.Fatal(err)
	}
	txs := make([]*sqlx.Tx, conns)
	for i := range txs {
		tx, err := st.DB().BeginTxx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback() //nolint:errcheck
		txs[i] = tx
	}
	// Each transaction reads the row with FOR UPDATE; only one can hold the lock,
	// so they go one after another, each rolling back to let the next in.
	errs := make(chan error, conns)
	for _, tx := range txs {
		go func() {
			_, err := st.LockExhibit(ctx, tx, id)
			if err == nil {
				err = tx.Rollback()
			}
			errs <- err
		}()
	}
	for range txs {
		if err := <-errs; err != nil {
			t.Fatalf("a transaction holding a pooled connection could not lock the exhibit: %v", err)
		}
	}
}
