package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
)

// A transition request used to cost one round trip to PostgreSQL for its bearer
// token and five for the transition. Tokens that Authenticate accepted are
// remembered so that the transition can check the token in the statement that
// locks the exhibit instead (FireRequest.Token): the same check against the same
// rows, one round trip fewer, and now in the very transaction that writes. Only a
// caller that hands the token on to such a check may act on a remembered one.

// rememberTokensFor bounds how long a remembered token is used unchecked by the
// round trip; each use is still checked in its transaction.
const rememberTokensFor = 5 * time.Minute

// maxRememberedTokens bounds the memory; past it the map starts again.
const maxRememberedTokens = 10000

type tokenDigest [sha256.Size]byte

type rememberedTokens struct {
	mu sync.Mutex
	m  map[tokenDigest]rememberedToken
}

type rememberedToken struct {
	user  User
	until time.Time
}

func (r *rememberedTokens) remember(d tokenDigest, u *User, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil || len(r.m) >= maxRememberedTokens {
		r.m = map[tokenDigest]rememberedToken{}
	}
	r.m[d] = rememberedToken{user: *u, until: now.Add(rememberTokensFor)}
}

func (r *rememberedTokens) lookup(d tokenDigest, now time.Time) (*User, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.m[d]
	if !ok || now.After(t.until) {
		return nil, false
	}
	u := t.user
	return &u, true
}

func (r *rememberedTokens) forget(d tokenDigest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, d)
}

// RememberedToken returns the user of a bearer token that Authenticate accepted
// in the last few minutes, without asking the database. The token may have been
// revoked since: use the user only for a transition whose FireRequest.Token is
// this token, which checks it again where it writes.
func (s *Store) RememberedToken(token string) (*User, bool) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return nil, false
	}
	return s.tokens.lookup(sha256.Sum256([]byte(token)), s.Now())
}

// tokenHolds is what makes a token t of user u good, for Authenticate and for
// the check of a remembered token alike.
const tokenHolds = `t.revoked_at IS NULL AND u.disabled_at IS NULL`

// tokenStillValid is Authenticate's check for a token whose user is known, with
// the parameters named by digest and user (e.g. "$2", "$3").
func tokenStillValid(digest, user string) string {
	return `EXISTS (SELECT 1 FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.digest = ` + digest + ` AND t.user_id = ` + user + ` AND ` + tokenHolds + `)`
}

// The statements of lockExhibitChecking, built once: a query's text is also its
// key among the prepared statements.
var (
	lockCheckingToken = `SELECT ` + exhibitColumns + `, ` + tokenStillValid("$2", "$3") + ` FROM exhibits WHERE id = $1 FOR UPDATE`
	tokenCheck        = `SELECT ` + tokenStillValid("$1", "$2")
)

// lockExhibitChecking locks the exhibit as lockExhibit does and, in the same
// statement, checks that the request's token is still valid for its user. A
// revoked token or a disabled user gets errBadToken, never a hint whether the
// exhibit exists.
func (s *Store) lockExhibitChecking(ctx context.Context, tx *sqlx.Tx, id int64, token string, userID int64) (*workflow.Exhibit, error) {
	d := tokenDigest(sha256.Sum256([]byte(token)))
	var r exhibitRow
	var valid bool
	err := s.txScan(ctx, tx, lockCheckingToken, []any{id, d[:], userID}, append(r.targets(), &valid)...)
	if errors.Is(err, sql.ErrNoRows) {
		// No row carried the check: make it on its own, in the same transaction
		// (a second connection might never come free), before saying "not found".
		err = s.txScan(ctx, tx, tokenCheck, []any{d[:], userID}, &valid)
		if err := s.tokenVerdict(d, err, valid); err != nil {
			return nil, err
		}
		return nil, errNotFound
	}
	if err := s.tokenVerdict(d, err, valid); err != nil {
		return nil, err
	}
	return r.toExhibit(), nil
}

// checkToken is the check of lockExhibitChecking on its own, outside any
// transaction, for a request that has no exhibit to lock.
func (s *Store) checkToken(ctx context.Context, token string, userID int64) error {
	d := tokenDigest(sha256.Sum256([]byte(token)))
	var valid bool
	err := s.dbGet(ctx, &valid, tokenCheck, d[:], userID)
	return s.tokenVerdict(d, err, valid)
}

// tokenVerdict is errBadToken, and the token forgotten, when the check said no.
func (s *Store) tokenVerdict(d tokenDigest, err error, valid bool) error {
	if err != nil {
		return err
	}
	if !valid {
		s.tokens.forget(d)
		return errBadToken
	}
	return nil
}
