package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"bayu/workflow"
)

// Session lifetimes: a session ends after SessionIdle without use, and in any
// case SessionMax after login.
const (
	SessionIdle = 2 * time.Hour
	SessionMax  = 12 * time.Hour
	// MaxFailedLogins failed logins for one name lock it for LockoutFor.
	MaxFailedLogins = 10
	LockoutFor      = 15 * time.Minute
)

// dummyHash is compared against when the name is unknown, so that a login for a
// missing user takes as long as one with a wrong password.
func (s *Store) dummyHash() []byte {
	s.dummyOnce.Do(func() {
		s.dummy, _ = bcrypt.GenerateFromPassword([]byte("no such user, no such password"), s.passwordCost)
	})
	return s.dummy
}

var errBadLogin = workflow.Errorf(workflow.CodeUnauthenticated, "用户名或密码错误", "wrong name or password")

// Login checks a name and password and opens a new session, returning its id in
// clear (for the cookie) and the user. Ten failures for one name lock it for 15 minutes.
func (s *Store) Login(ctx context.Context, name, password string) (string, *User, error) {
	now := s.Now()
	var locked sql.NullTime
	err := s.db.GetContext(ctx, &locked, `SELECT locked_until FROM login_failures WHERE name = $1`, name)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", nil, classify(err)
	}
	if locked.Valid && locked.Time.After(now) {
		s.recordLogin(ctx, name, nil, true)
		mins := int(locked.Time.Sub(now).Minutes()) + 1
		return "", nil, workflow.Errorf(workflow.CodeLocked,
			"登录失败次数过多，账户已锁定，请 "+itoa(int64(mins))+" 分钟后再试",
			"too many failed logins; try again in "+itoa(int64(mins))+" minutes")
	}
	var row struct {
		User
		Hash sql.NullString `db:"password_hash"`
	}
	err = s.db.GetContext(ctx, &row, `SELECT id, name, role, district, disabled_at, created_at, password_hash
		FROM users WHERE name = $1`, name)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", nil, classify(err)
	}
	hash := s.dummyHash()
	if err == nil && row.Hash.Valid {
		hash = []byte(row.Hash.String)
	}
	match := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	if !match || err != nil || !row.Hash.Valid || row.DisabledAt != nil {
		var known *User
		if err == nil {
			known = &row.User
		}
		s.recordLogin(ctx, name, known, false)
		if ferr := s.loginFailed(ctx, name, now); ferr != nil {
			return "", nil, ferr
		}
		return "", nil, errBadLogin
	}
	var token string
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE name = $1`, name); err != nil {
			return err
		}
		var err error
		token, err = newSecret()
		if err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO sessions (digest, user_id, created_at, last_seen_at, expires_at)
			VALUES ($1, $2, $3, $3, $4)`, digest(token), row.ID, now, now.Add(SessionMax)); err != nil {
			return err
		}
		return s.recordLoginTx(ctx, tx, &row.User)
	})
	if err != nil {
		return "", nil, err
	}
	u := row.User
	return token, &u, nil
}

// loginFailed counts a failure for the name and locks it at the limit.
func (s *Store) loginFailed(ctx context.Context, name string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO login_failures (name, failures, last_failed) VALUES ($1, 1, $2)
		ON CONFLICT (name) DO UPDATE SET
			failures = CASE WHEN login_failures.locked_until IS NOT NULL THEN 1 ELSE login_failures.failures + 1 END,
			last_failed = $2,
			locked_until = CASE
				WHEN login_failures.locked_until IS NULL AND login_failures.failures + 1 >= $3 THEN $2::timestamptz + $4 * interval '1 second'
				ELSE NULL END`,
		name, now, MaxFailedLogins, int(LockoutFor.Seconds()))
	return classify(err)
}

// SessionUser returns the user of a live session and keeps the session alive.
func (s *Store) SessionUser(ctx context.Context, token string) (*User, error) {
	now := s.Now()
	var row struct {
		User
		LastSeen time.Time `db:"last_seen_at"`
	}
	err := s.db.GetContext(ctx, &row, `SELECT u.id, u.name, u.role, u.district, u.disabled_at, u.created_at, s.last_seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.digest = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.disabled_at IS NULL`,
		digest(token), now, now.Add(-SessionIdle))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, classify(err)
	}
	// Touch at most once a minute: a write per request would cost more than it tells.
	if now.Sub(row.LastSeen) > time.Minute {
		if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE digest = $1`, digest(token), now); err != nil {
			return nil, classify(err)
		}
	}
	u := row.User
	return &u, nil
}

// Logout ends a session.
func (s *Store) Logout(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE digest = $1`, digest(token))
	return classify(err)
}

// DisableUser stops a user at once: no login, and every session and token ends.
func (s *Store) DisableUser(ctx context.Context, name string) (*User, error) {
	var u User
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		now := s.Now()
		err := tx.GetContext(ctx, &u, `UPDATE users SET disabled_at = coalesce(disabled_at, $2) WHERE name = $1
			RETURNING id, name, role, district, disabled_at, created_at`, name, now)
		if errors.Is(err, sql.ErrNoRows) {
			return workflow.Errorf(workflow.CodeNotFound, "用户 "+name+" 不存在", "no user "+name)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, u.ID, now); err != nil {
			return err
		}
		return s.recordUserDisabled(ctx, tx, &u)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func newSecret() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

func digest(secret string) []byte {
	d := sha256.Sum256([]byte(secret))
	return d[:]
}
