package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"bayu/workflow"
)

// User is a person who signs in.
type User struct {
	ID         int64         `db:"id" json:"id"`
	Name       string        `db:"name" json:"name"`
	Role       workflow.Role `db:"role" json:"role"`
	District   *string       `db:"district" json:"district"`
	DisabledAt *time.Time    `db:"disabled_at" json:"disabled_at"`
	CreatedAt  time.Time     `db:"created_at" json:"created_at"`
}

// Actor returns the user as the actor of requests.
func (u *User) Actor() workflow.Actor {
	a := workflow.Actor{UserID: u.ID, Name: u.Name, Role: u.Role}
	if u.District != nil {
		a.District = *u.District
	}
	return a
}

// NewUser is what creating a user needs.
type NewUser struct {
	Name     string
	Role     workflow.Role
	District string
	Password string // empty: API token only, no UI login
}

// tokenPrefix marks bayu tokens so that a leaked one is recognisable in scans.
const tokenPrefix = "bayu_"

// CreateUser stores a user and issues its first API token, returned in clear once.
func (s *Store) CreateUser(ctx context.Context, in NewUser) (*User, string, error) {
	fe := workflow.FieldErrors{}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || strings.ContainsAny(in.Name, " \t\r\n") || len([]rune(in.Name)) > 64 {
		fe.Add("name", "用户名不能为空、不能含空格、最多 64 字", "must be 1–64 characters without spaces")
	}
	if !in.Role.Valid() {
		fe.Add("role", "角色必须是 coordinator、district、evaluator、auditor 之一", "must be coordinator, district, evaluator or auditor")
	}
	if in.Role == workflow.District && in.District == "" {
		fe.Add("district", "区县用户必须指定单位代码", "is required for district users")
	}
	if in.Role != workflow.District && in.District != "" {
		fe.Add("district", "只有区县用户属于某个单位", "only district users belong to a unit")
	}
	if in.Password != "" && len(in.Password) < 8 {
		fe.Add("password", "密码至少 8 位", "must be at least 8 characters")
	}
	if err := fe.Err(); err != nil {
		return nil, "", err
	}
	var hash *string
	if in.Password != "" {
		h, err := bcrypt.GenerateFromPassword([]byte(in.Password), s.passwordCost)
		if err != nil {
			return nil, "", err
		}
		hs := string(h)
		hash = &hs
	}
	var district *string
	if in.District != "" {
		district = &in.District
	}
	var u User
	var token string
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &u, `INSERT INTO users (name, role, district, password_hash, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id, name, role, district, disabled_at, created_at`,
			in.Name, in.Role, district, hash, s.Now())
		if isPQ(err, pqUniqueViolation) {
			return &workflow.Error{Code: workflow.CodeConflict, Message: workflow.T("用户名已存在", "the user name is taken"),
				Fields: map[string]workflow.Text{"name": workflow.T("已存在", "is taken")}}
		}
		if isPQ(err, pqForeignKeyViolation) {
			return &workflow.Error{Code: workflow.CodeInvalid, Message: workflow.T("单位不存在", "no such unit"),
				Fields: map[string]workflow.Text{"district": workflow.T("不是 districts.tsv 中的单位代码", "is not a unit code of districts.tsv")}}
		}
		if err != nil {
			return err
		}
		if token, err = s.issueToken(ctx, tx, u.ID); err != nil {
			return err
		}
		return s.recordUserCreated(ctx, tx, &u)
	})
	if err != nil {
		return nil, "", err
	}
	return &u, token, nil
}

func (s *Store) issueToken(ctx context.Context, tx *sqlx.Tx, userID int64) (string, error) {
	var secret [32]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return "", err
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(secret[:])
	digest := sha256.Sum256([]byte(token))
	_, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (user_id, digest, created_at) VALUES ($1, $2, $3)`,
		userID, digest[:], s.Now())
	return token, err
}

var errBadToken = workflow.Errorf(workflow.CodeUnauthenticated, "登录凭据无效或已失效", "invalid or expired credentials")

// Authenticate returns the user a bearer token belongs to; revoked tokens and
// disabled users are refused.
func (s *Store) Authenticate(ctx context.Context, token string) (*User, error) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return nil, errBadToken
	}
	digest := sha256.Sum256([]byte(token))
	var u User
	err := s.dbGet(ctx, &u, `SELECT u.id, u.name, u.role, u.district, u.disabled_at, u.created_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.digest = $1 AND `+tokenHolds, digest[:])
	if err != nil {
		if workflow.ErrorCode(classify(err)) == workflow.CodeNotFound {
			return nil, errBadToken
		}
		return nil, err
	}
	s.tokens.remember(digest, &u, s.Now())
	return &u, nil
}

// IssueToken gives an existing, enabled user one more API token, returned in clear once.
func (s *Store) IssueToken(ctx context.Context, name string) (string, error) {
	var token string
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var id int64
		if err := tx.GetContext(ctx, &id, `SELECT id FROM users WHERE name = $1 AND disabled_at IS NULL`, name); err != nil {
			return err
		}
		var err error
		token, err = s.issueToken(ctx, tx, id)
		return err
	})
	return token, err
}

// CountExhibits returns how many exhibits exist.
func (s *Store) CountExhibits(ctx context.Context) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM exhibits`)
	return n, classify(err)
}
